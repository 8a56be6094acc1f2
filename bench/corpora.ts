/**
 * Scores forward unwrapping and reply extraction on the public corpora in
 * ../shared/corpora (see its README §3–5), ours against the bare crisp libraries.
 * Prints a table and writes bench/out/corpora.json. Run: `npx node bench/corpora.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unwrapInlineForward } from '../src/ingest/forward.ts';
import type { Address } from '../src/ingest/message.model.ts';
import { extractReplyText } from '../src/ingest/reply.ts';
import { BARE_TIMEOUT_MS, bareForward, bareReplyBounded, inWorker } from './lib/bare.ts';
import {
  type EditedSubjectScore,
  type ForwardScore,
  type ForwardView,
  scoreEditedSubject,
  scoreForward,
} from './lib/forward-score.ts';
import { buildReplyCases, type SetScore, scoreReplies } from './lib/reply-score.ts';
import { pct, readCorpus, timeMs, toJson } from './lib/text.ts';

const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out', 'corpora.json');

function view(address: Address): { address: string | null; name: string | null } {
  return { address: address.address || null, name: address.name || null };
}

function ourForward(body: string, subject: string | null): ForwardView {
  const f = unwrapInlineForward(body, subject);
  if (f === null) return { forwarded: false, message: null, email: {} };
  return {
    forwarded: true,
    message: f.note,
    email: {
      subject: f.subject,
      body: f.text,
      date: f.date,
      from: f.from ? view(f.from) : null,
      to: f.to.map(view),
      cc: f.cc.map(view),
    },
  };
}

const ratio = (ok: number, total: number) => `${`${ok}/${total}`.padStart(7)} ${pct(ok, total)}`;

function printEdited(ours: EditedSubjectScore, bare: EditedSubjectScore): void {
  console.log(
    '\nSame fixtures, subject edited by the forwarder (no "Fwd:" prefix)      ours            bare lib',
  );
  console.log(
    `  sender recovered (forwards)            ${ratio(ours.senderOk, ours.senderTotal)}  ${ratio(bare.senderOk, bare.senderTotal)}`,
  );
  console.log(
    `  not taken for a forward (v4 replies)   ${ratio(ours.negativesOk, ours.negativesTotal)}  ${ratio(bare.negativesOk, bare.negativesTotal)}`,
  );
}

function printForward(ours: ForwardScore, bare: ForwardScore): void {
  console.log(
    '\nForward unwrapping: email-forward-parser fixtures (sender = original From address recovered)',
  );
  console.log(
    `${'group'.padEnd(12)} cases | ${'sender ours'.padEnd(15)} ${'keys ours'.padEnd(17)}| sender bare lib  keys bare lib`,
  );
  const rows = [...Object.keys(ours.groups).sort(), 'overall'];
  for (const g of rows) {
    const o = g === 'overall' ? ours.overall : ours.groups[g];
    const b = g === 'overall' ? bare.overall : bare.groups[g];
    if (!o || !b) continue;
    const line = `${g.padEnd(12)} ${String(o.cases).padStart(5)} | ${ratio(o.senderOk, o.senderTotal)} ${ratio(o.keysOk, o.keysTotal)} | ${ratio(b.senderOk, b.senderTotal)} ${ratio(b.keysOk, b.keysTotal)}`;
    console.log(line);
  }
  for (const [label, s] of [
    ['ours', ours],
    ['bare', bare],
  ] as const) {
    const list = s.failures.map((f) => `${f.id} [${f.keys.join(', ')}]`);
    console.log(`Failures (${label}): ${list.length === 0 ? 'none' : `\n  ${list.join('\n  ')}`}`);
  }
}

function sum(sets: Record<string, SetScore>, prefix: string): SetScore {
  const out: SetScore = { ok: 0, total: 0, failures: [], tolerated: [] };
  for (const [name, s] of Object.entries(sets)) {
    if (!name.startsWith(prefix)) continue;
    out.ok += s.ok;
    out.total += s.total;
  }
  return out;
}

function printReplies(
  ours: Record<string, SetScore>,
  bare: Record<string, SetScore>,
  skipped: string[],
): void {
  console.log(
    '\nReply extraction (quote + signature stripped; README §4–5 checks; HTML via our htmlToText for both)',
  );
  console.log(`${'set'.padEnd(30)} cases | ${'ours'.padEnd(14)} | bare email-reply-parser`);
  const row = (name: string, o: SetScore, b: SetScore) =>
    console.log(
      `${name.padEnd(30)} ${String(o.total).padStart(5)} | ${ratio(o.ok, o.total)} | ${ratio(b.ok, b.total)}`,
    );
  for (const name of Object.keys(ours)) row(name, ours[name] as SetScore, bare[name] as SetScore);
  for (const prefix of ['email-reply-parser/', 'talon/', '']) {
    row(prefix === '' ? 'all' : `${prefix.slice(0, -1)} (all)`, sum(ours, prefix), sum(bare, prefix));
  }
  for (const [label, sets] of [
    ['ours', ours],
    ['bare', bare],
  ] as const) {
    const list = Object.entries(sets).flatMap(([name, s]) => s.failures.map((id) => `${name}/${id}`));
    console.log(`Failures (${label}): ${list.length === 0 ? 'none' : `\n  ${list.join('\n  ')}`}`);
  }
  for (const [label, sets] of [
    ['ours', ours],
    ['bare', bare],
  ] as const) {
    const list = Object.entries(sets).flatMap(([name, s]) => s.tolerated.map((id) => `${name}/${id}`));
    console.log(`Passed through a README §4 tolerance (${label}): ${list.join(', ') || 'none'}`);
  }
  console.log(`Not scored (upstream ran with a patched constant): ${skipped.join(', ') || 'none'}`);
}

type Timing = { ours: number; bare: number | null };

async function bareTime(kind: 'reply' | 'forward', text: string): Promise<number | null> {
  const start = performance.now();
  const out = kind === 'reply' ? await bareReplyBounded(text) : await inWorker('forward', text);
  return out === null ? null : performance.now() - start;
}

async function timings(): Promise<Record<string, Timing>> {
  const out: Record<string, Timing> = {};
  for (const file of ['email_long_quote.txt', 'pathological.txt']) {
    const text = readCorpus('email-reply-parser', 'github', 'emails', file);
    out[`reply: ${file}`] = {
      ours: timeMs(() => extractReplyText(text)),
      bare: await bareTime('reply', text),
    };
  }
  // email-forward-parser's patterns backtrack quadratically on long blank or bracket runs.
  const block = '\n---------- Forwarded message ---------\nFrom: Bob <bob@example.com>\nSubject: s\n\nbody';
  const adversarial = {
    'forward: 60 KB blank line': `${' '.repeat(60_000)}x${block}`,
    'forward: 40 KB of < and >': `${'<'.repeat(20_000)} ${'>'.repeat(20_000)}${block}`,
  };
  for (const [name, text] of Object.entries(adversarial)) {
    out[name] = {
      ours: timeMs(() => unwrapInlineForward(text, null)),
      bare: await bareTime('forward', text),
    };
  }
  console.log('\nTiming (ours: median of 5 runs)        ours      bare library');
  for (const [name, t] of Object.entries(out)) {
    const bare = t.bare === null ? `timeout (> ${BARE_TIMEOUT_MS} ms)` : `${t.bare.toFixed(1)} ms`;
    console.log(`${name.padEnd(38)} ${`${t.ours.toFixed(2)} ms`.padStart(9)}   ${bare}`);
  }
  return out;
}

async function main(): Promise<void> {
  console.log('deskhand corpus benchmark (../shared/corpora)');
  const forward = { ours: scoreForward(ourForward), bare: scoreForward(bareForward) };
  printForward(forward.ours, forward.bare);
  const edited = { ours: scoreEditedSubject(ourForward), bare: scoreEditedSubject(bareForward) };
  printEdited(edited.ours, edited.bare);
  const { cases, skipped } = await buildReplyCases();
  const reply = {
    ours: await scoreReplies(cases, extractReplyText),
    bare: await scoreReplies(cases, async (t) => (await bareReplyBounded(t)) ?? ''),
  };
  printReplies(reply.ours, reply.bare, skipped);
  const timing = await timings();
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${toJson({ forward, edited, reply, skipped, timing })}\n`);
  console.log(`\nWritten: ${OUT}`);
}

await main();
