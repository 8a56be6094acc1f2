import { join, resolve } from 'node:path';
import type { Kysely } from 'kysely';
import { readEnvironment } from '../config/config.env.ts';
import { type Config, loadConfig } from '../config/config.ts';
import { type DatabaseHandle, openDatabase } from '../db/db.ts';
import type { Database } from '../db/db.types.ts';
import { migrate } from '../db/migrator.ts';
import { closePdfReader } from '../extract/pdf/pdf.reader.ts';
import { readCursor } from '../ingest/message.repository.ts';
import { openFileSource } from '../ingest/sources/file.source.ts';
import { openImapSource } from '../ingest/sources/imap.source.ts';
import { type OpenedSource, SourceError } from '../ingest/sources/source.model.ts';
import { recoveryIds } from '../jobs/handlers.ts';
import { type Clock, clockStartingAt, systemClock } from '../shared/clock.ts';
import { ConfigError } from '../shared/errors.ts';
import type { Field } from './report.rows.ts';
import { shadowExtras } from './shadow.extras.ts';
import { type ShadowReportExtras, writeShadowReport } from './shadow.html.ts';
import { offlinePipeline, processOne, storeOne } from './shadow.pipeline.ts';
import { duration, ProgressReporter, type ProgressState, type ProgressStream } from './shadow.progress.ts';
import { OutDirError, prepareOutDir, REPORT_FILE } from './shadow.state.ts';
import { readShadowSummary } from './shadow.summary.ts';
import { summaryText } from './shadow.text.ts';

export type { ShadowReportExtras } from './shadow.html.ts';

export interface ShadowOptions {
  /** A directory of .eml files, one .eml file, a Maildir, an mbox file, or `imap:FOLDER`. */
  source: string;
  /** Output directory: the run's database, its position in the source, report.html. Default ./shadow-report. */
  out?: string;
  /** Start over: drop what an earlier run in `out` stored. Default false (continue it). */
  fresh?: boolean;
  /** The run's clock starts at this ISO instant (and runs at real speed). Default: the system clock. */
  now?: string;
  /** Verify the owner's DKIM signatures with DNS lookups. Default false: trusted Authentication-Results only. */
  dns?: boolean;
  /** The environment to configure from. Default: `.env` under the process environment. */
  env?: Record<string, string | undefined>;
  /** Where the summary goes. Default process.stdout. */
  stdout?: { write(s: string): unknown };
  /** Where progress and errors go. Default process.stderr (a bar when it is a terminal). */
  stderr?: ProgressStream;
  /** Without a terminal, a progress line every this many messages. Default 500. */
  progressEvery?: number;
  /** Aborting stops the run after the current message, as Ctrl-C does; the report covers what is done. */
  signal?: AbortSignal;
  /** Called after each message (benchmarks sample memory here). */
  onProgress?: (p: ProgressState) => void;
  /** The digest and metrics for the report, built once the run is done. */
  extras?: (ctx: { db: Kysely<Database>; config: Config; clock: Clock }) => Promise<ShadowReportExtras>;
}

/** sysexits(3): the input is missing or unreadable / cannot create the output / usage. */
const EX_USAGE = 64;
const EX_NOINPUT = 66;
const EX_CANTCREAT = 73;
const INTERRUPTED = 130;

function clockFrom(now: string | undefined): Clock | null {
  if (!now) return systemClock;
  const t = Date.parse(now);
  if (Number.isNaN(t)) return null;
  return clockStartingAt(t);
}

const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

async function openSource(spec: string, config: Config): Promise<OpenedSource> {
  const maxBytes = config.env.MAX_MESSAGE_BYTES;
  if (!spec.startsWith('imap:')) return openFileSource(spec, { maxBytes });
  if (!config.imap)
    throw new ConfigError(
      'IMAP_HOST: is not set — `deskhand shadow imap:FOLDER` reads the configured mailbox (IMAP_HOST, IMAP_USER, IMAP_PASSWORD)',
    );
  return openImapSource(config.imap, spec.slice('imap:'.length) || config.imap.mailbox, { maxBytes });
}

/**
 * `deskhand shadow <source>`: past mail through the whole live pipeline — store, triage, skills,
 * proposals, approval requests — on an embedded database in the output directory, with nothing sent
 * and nothing moved. Prints a summary and writes report.html. Resumable: a second run over the same
 * source continues after the last message the first one committed. Returns the exit code.
 */
export async function shadowCommand(o: ShadowOptions): Promise<number> {
  const stderr = o.stderr ?? process.stderr;
  const fail = (code: number, message: string) => {
    stderr.write(`deskhand shadow: ${message}\n`);
    return code;
  };
  const clock = clockFrom(o.now);
  if (!clock) return fail(EX_USAGE, `--now: "${o.now}" is not an ISO date-time such as 2026-03-17T12:00:00Z`);
  const outDir = resolve(o.out ?? 'shadow-report');
  const env = o.env ?? readEnvironment();
  // Never the live database, queue or mail server: an embedded database in the output directory only.
  const config = loadConfig({
    ...env,
    DATA_DIR: outDir,
    DATABASE_URL: '',
    REDIS_URL: '',
    SMTP_HOST: '',
  });
  if (!env['OWNER_EMAIL'])
    stderr.write(
      `shadow: OWNER_EMAIL is not set, so ${config.owner.email} is taken for the owner; set OWNER_EMAIL and ASSISTANT_EMAIL (.env) for a run that means something\n`,
    );
  let source: OpenedSource;
  try {
    source = await openSource(o.source, config);
  } catch (err) {
    if (err instanceof SourceError) return fail(EX_NOINPUT, err.message);
    throw err;
  }
  try {
    const dir = await prepareOutDir(outDir, source.key, { fresh: o.fresh ?? false }).catch((err: unknown) => {
      if (err instanceof OutDirError) return err;
      throw err;
    });
    if (dir instanceof OutDirError) return fail(EX_CANTCREAT, dir.message);
    try {
      const handle = await openDatabase(config.database);
      try {
        await migrate(handle);
        return await run(o, { config, handle, clock, source, outDir, stderr });
      } finally {
        await handle.close();
      }
    } finally {
      await dir.release();
    }
  } finally {
    await source.close();
    await closePdfReader();
  }
}

interface RunContext {
  config: Config;
  handle: DatabaseHandle;
  clock: Clock;
  source: OpenedSource;
  outDir: string;
  stderr: ProgressStream;
}

async function run(o: ShadowOptions, c: RunContext): Promise<number> {
  const { config, handle, source } = c;
  const cursor = await readCursor(handle.db, source.key);
  // Positions hold only under the same UIDVALIDITY; otherwise read it all again (the store dedupes).
  const after = cursor && cursor.uidValidity === source.uidValidity ? cursor.lastUid : 0;
  const deps = offlinePipeline(config, handle, c.clock, { dns: o.dns ?? false });
  const place = source.kind === 'imap' ? `UID ${after}` : `message ${after}`;
  c.stderr.write(`shadow: reading ${source.label}${after ? `, continuing after ${place}` : ''}\n`);
  let recovered = 0;
  for (const id of await recoveryIds(handle.db)) if (await processOne(deps, id)) recovered++;

  const progress = new ProgressReporter(c.stderr, {
    total: await source.count(after),
    every: o.progressEvery ?? 500,
    resumed: after > 0,
  });
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(INTERRUPTED);
    stopping = true;
    c.stderr.write('\nshadow: stopping after this message; the report covers what is done…\n');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const n = { read: 0, stored: 0, duplicates: 0, failed: 0 };
  try {
    for await (const m of source.read(after)) {
      const stored = await storeOne(handle, source, m, config.env.MAX_MESSAGE_BYTES, c.clock.now());
      n.read++;
      if (stored.duplicate) n.duplicates++;
      n.stored += stored.ids.length;
      for (const id of stored.ids) if (!(await processOne(deps, id))) n.failed++;
      progress.update(n.read, m.fraction);
      o.onProgress?.(progress.snapshot);
      if (stopping || o.signal?.aborted) break;
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  progress.finish();
  const interrupted = stopping || (o.signal?.aborted ?? false);
  const elapsed = progress.snapshot.elapsedMs;
  const runFields: Field[] = [
    {
      label: 'This run',
      value: `${n.read.toLocaleString('en')} read — ${n.stored.toLocaleString('en')} new, ${n.duplicates.toLocaleString('en')} already stored${after ? `; ${after.toLocaleString('en')} done by an earlier run` : ''}${recovered ? `; ${recovered} left unfinished before, now done` : ''}${n.failed ? `; ${n.failed} failed` : ''}`,
    },
    {
      label: 'Speed',
      value: `${elapsed > 0 ? ((n.read * 1000) / elapsed).toFixed(1) : '0'} msg/s over ${duration(elapsed)}; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`,
    },
  ];
  const extras = await (o.extras ?? shadowExtras)({ db: handle.db, config, clock: c.clock });
  const summary = await readShadowSummary(handle.db);
  const owner = `${config.owner.name} <${config.owner.email}>`;
  const report = join(c.outDir, REPORT_FILE);
  await writeShadowReport(handle.db, report, {
    head: {
      source: source.label,
      outDir: c.outDir,
      owner,
      assistant: config.assistant.email,
      now: utc(c.clock.now()),
      generatedAt: utc(new Date()),
      run: runFields,
    },
    summary,
    extras,
  });
  (o.stdout ?? process.stdout).write(
    summaryText({
      source: source.label,
      owner,
      model: config.model
        ? `${config.model.model} at ${config.model.baseUrl}`
        : 'none configured — rules only',
      dkim: o.dns
        ? 'DKIM verified with DNS lookups'
        : 'verified by trusted Authentication-Results only (no DNS; --dns to look up DKIM keys)',
      summary,
      run: runFields,
      report,
      interrupted,
    }),
  );
  return interrupted ? INTERRUPTED : 0;
}
