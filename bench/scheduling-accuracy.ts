/**
 * Accuracy of the scheduling reader (src/skills/scheduling/understand/) on the labeled set in
 * test/fixtures/scheduling-requests/cases.json: each case is one message from an outside person to
 * the owner with the assistant in Cc, sent at `sentAt` (its offset becomes the Date header). The
 * `test` split was written before tuning and is not looked at while tuning: tune with
 * `--split dev`, and read test figures only to report them.
 *
 * Fields, scored on the cases whose expected `wanted` is true (intent on all):
 * - intent: precision and recall of `wanted`.
 * - duration: the stated length, or "not stated" (durationStated false) when expected is null.
 * - range: `from` and `to` both exact; expected null means no range.
 * - ambiguity: cases labeled ambiguous must list an ambiguity; others must not.
 * - zone: a stated or signature zone with the same UTC offsets in January and July as expected;
 *   expected null means the text says nothing, so only a date-offset or owner fallback is right.
 *
 * Run: `npx node bench/scheduling-accuracy.ts [--split dev|test]`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractReplyText } from '../src/ingest/reply.ts';
import { zoneOffsetAt } from '../src/skills/scheduling/understand/understand.calendar.ts';
import type {
  MeetingRequest,
  SchedulingMessage,
} from '../src/skills/scheduling/understand/understand.model.ts';
import { understandMeetingRequest } from '../src/skills/scheduling/understand/understand.ts';
import { pct } from './lib/text.ts';

interface Case {
  id: string;
  source: string;
  split: 'dev' | 'test';
  text: string;
  sentAt: string;
  expected: {
    wanted: boolean;
    durationMinutes: number | null;
    range: { from: string; to: string } | null;
    zone: string | null;
    ambiguous?: boolean;
  };
}

const FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'test',
  'fixtures',
  'scheduling-requests',
  'cases.json',
);
const { ownerZone, cases } = JSON.parse(readFileSync(FILE, 'utf8')) as { ownerZone: string; cases: Case[] };
const SENDER = 'sender@example.com';

function run(c: Case): MeetingRequest {
  const offset = /([+-]\d{2}):?(\d{2})$/.exec(c.sentAt);
  const date = new Date(c.sentAt);
  const message: SchedulingMessage = {
    messageId: `${c.id}@bench`,
    inReplyTo: null,
    references: [],
    date,
    dateHeader: offset ? `${date.toUTCString().replace(/ GMT$/, '')} ${offset[1]}${offset[2]}` : null,
    subject: 'Meeting?',
    from: { name: 'Sam Sender', address: SENDER },
    replyTo: [],
    to: [{ name: 'Olivia Owner', address: 'owner@example.com' }],
    cc: [{ name: 'Deskhand', address: 'assistant@example.com' }],
    text: c.text,
    replyText: extractReplyText(c.text),
  };
  return understandMeetingRequest([message], {
    ownerEmail: 'owner@example.com',
    ownerZone,
    assistantEmail: 'assistant@example.com',
    defaultMinutes: 30,
    now: date,
  });
}

function sameZone(a: string, b: string, year: number): boolean {
  const jan = new Date(Date.UTC(year, 0, 15));
  const jul = new Date(Date.UTC(year, 6, 15));
  return zoneOffsetAt(a, jan) === zoneOffsetAt(b, jan) && zoneOffsetAt(a, jul) === zoneOffsetAt(b, jul);
}

type Field = 'duration' | 'range' | 'ambiguity' | 'zone';
interface Miss {
  id: string;
  field: string;
  expected: unknown;
  got: unknown;
}

function score(c: Case, r: MeetingRequest): Record<Field, boolean> {
  const e = c.expected;
  const zone = r.zones[SENDER];
  const textZone = zone && (zone.source === 'stated' || zone.source === 'signature') ? zone.zone : null;
  return {
    duration:
      e.durationMinutes === null
        ? !r.durationStated
        : r.durationStated && r.durationMinutes === e.durationMinutes,
    range: e.range === null ? r.range === null : r.range?.from === e.range.from && r.range?.to === e.range.to,
    ambiguity: (e.ambiguous ?? false) === r.ambiguities.length > 0,
    zone:
      e.zone === null
        ? textZone === null
        : textZone !== null && sameZone(textZone, e.zone, new Date(c.sentAt).getUTCFullYear()),
  };
}

function got(field: Field, r: MeetingRequest): unknown {
  if (field === 'duration') return r.durationStated ? r.durationMinutes : null;
  if (field === 'range') return r.range;
  if (field === 'ambiguity') return r.ambiguities;
  return r.zones[SENDER];
}

function report(split: 'dev' | 'test'): Miss[] {
  const subset = cases.filter((c) => c.split === split);
  const misses: Miss[] = [];
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const ok: Record<Field, number> = { duration: 0, range: 0, ambiguity: 0, zone: 0 };
  let n = 0;
  for (const c of subset) {
    const r = run(c);
    if (r.wanted && c.expected.wanted) tp++;
    else if (r.wanted) fp++;
    else if (c.expected.wanted) fn++;
    if (r.wanted !== c.expected.wanted)
      misses.push({ id: c.id, field: 'intent', expected: c.expected.wanted, got: r.wanted });
    if (!c.expected.wanted) continue;
    n++;
    const s = score(c, r);
    for (const f of Object.keys(ok) as Field[]) {
      if (s[f]) ok[f]++;
      else
        misses.push({
          id: c.id,
          field: f,
          expected: f === 'ambiguity' ? (c.expected.ambiguous ?? false) : expectedOf(c, f),
          got: got(f, r),
        });
    }
  }
  console.log(`\n${split}: ${subset.length} cases, ${n} meeting requests`);
  console.log(
    `  intent     precision ${pct(tp, tp + fp)}  recall ${pct(tp, tp + fn)}  (tp ${tp}, fp ${fp}, fn ${fn})`,
  );
  for (const f of Object.keys(ok) as Field[])
    console.log(`  ${f.padEnd(10)} ${pct(ok[f], n)}  (${ok[f]}/${n})`);
  return misses;
}

function expectedOf(c: Case, f: Field): unknown {
  return f === 'duration' ? c.expected.durationMinutes : f === 'range' ? c.expected.range : c.expected.zone;
}

const only = process.argv.includes('--split') ? process.argv[process.argv.indexOf('--split') + 1] : null;
const splits = (['dev', 'test'] as const).filter((s) => only === null || only === s);
const all = splits.map((s) => ({ split: s, misses: report(s) }));
for (const { split, misses } of all) {
  console.log(`\n${split} misses (${misses.length})`);
  for (const m of misses)
    console.log(`  ${m.id} ${m.field}: expected ${JSON.stringify(m.expected)}, got ${JSON.stringify(m.got)}`);
}
