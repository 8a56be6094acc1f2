import { DateTime } from 'luxon';
import type { Config } from '../config/config.ts';
import { type JournalLine, MAX_LIMIT, readJournal, resolveMessage } from '../journal/journal.read.ts';
import { terminalSafe } from '../journal/terminal.ts';
import { openMigrated } from '../runtime.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import { DeskhandError } from '../shared/errors.ts';

/**
 * `deskhand journal [--since …] [--thread <id>] [--message <id>] [--limit N] [--after <id>] [--json]`:
 * the audit trail, oldest first, each entry with its links. Without --since or --after, the newest
 * entries (a tail); with them, a page and the `--after` that continues it.
 */

export interface JournalOptions {
  since?: string;
  thread?: string;
  message?: string;
  after?: string;
  limit?: string;
  json?: boolean;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3600_000, d: 86_400_000, w: 7 * 86_400_000 };

const usage = (what: string) => new DeskhandError('USAGE', what);

/** "90m", "24h", "7d", "2w" before `now`, or an ISO 8601 date or date-time (a bare date is midnight in `zone`). */
export function parseSince(s: string, now: Date, zone: string): Date {
  const rel = /^(\d+)\s*([mhdw])$/i.exec(s.trim());
  if (rel) return new Date(now.getTime() - Number(rel[1]) * (UNIT_MS[rel[2]!.toLowerCase()] ?? 0));
  const d = DateTime.fromISO(s.trim(), { zone });
  if (!d.isValid)
    throw usage(`--since: "${s}" is neither a span like 24h or 7d nor an ISO date like 2026-03-16`);
  return d.toJSDate();
}

function parseId(s: string | undefined, flag: string): string | null {
  if (s === undefined) return null;
  if (!/^\d+$/.test(s.trim())) throw usage(`${flag}: "${s}" is not an id (a number)`);
  return s.trim();
}

function parseLimit(s: string | undefined): number {
  if (s === undefined) return 100;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT)
    throw usage(`--limit: must be a whole number from 1 to ${MAX_LIMIT}`);
  return n;
}

/** The links of an entry in one line: "message #4 "Invoice 2024-0042" · proposal #2 payment · …". */
export function linksOf(e: JournalLine): string {
  const clip = (raw: string, n = 60) => {
    const s = terminalSafe(raw);
    return s.length > n ? `${s.slice(0, n - 1)}…` : s;
  };
  return [
    e.message ? `message #${e.message.id}${e.message.subject ? ` "${clip(e.message.subject)}"` : ''}` : '',
    e.proposal ? `proposal #${e.proposal.id} ${e.proposal.kind}` : '',
    e.approval ? `approval #${e.approval.id} round ${e.approval.round}` : '',
    e.outbox ? `outbox #${e.outbox.id} ${e.outbox.purpose} (${e.outbox.status})` : '',
    e.meeting ? `meeting #${e.meeting.id} "${clip(e.meeting.summary, 40)}"` : '',
    e.ruleId ? `rule #${e.ruleId}` : '',
    e.threadId ? `thread #${e.threadId}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

export function renderEntry(e: JournalLine, zone: string): string {
  const at = DateTime.fromISO(e.at, { zone }).toFormat('yyyy-LL-dd HH:mm:ss');
  const links = linksOf(e);
  return [
    `${at}  #${e.id}  ${e.actor}  ${e.action}`,
    ...(e.reason ? [`    ${terminalSafe(e.reason)}`] : []),
    ...(links ? [`    → ${links}`] : []),
  ].join('\n');
}

export async function journalCommand(
  config: Config,
  opts: JournalOptions,
  clock: Clock = systemClock,
): Promise<number> {
  const zone = config.owner.timeZone;
  const since = opts.since ? parseSince(opts.since, clock.now(), zone) : null;
  const after = parseId(opts.after, '--after');
  const threadId = parseId(opts.thread, '--thread');
  const limit = parseLimit(opts.limit);
  const h = await openMigrated(config);
  try {
    const messageIds = opts.message ? await resolveMessage(h.db, opts.message) : null;
    const page = await readJournal(h.db, { since, after, threadId, messageIds, limit });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
      return 0;
    }
    if (page.entries.length === 0) process.stdout.write('no journal entries\n');
    for (const e of page.entries) process.stdout.write(`${renderEntry(e, zone)}\n`);
    if (page.next) process.stdout.write(`\nmore: add --after ${page.next}\n`);
    return 0;
  } finally {
    await h.close();
  }
}
