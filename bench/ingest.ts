/**
 * bench/ingest — a burst of 1,000 messages (half with a PDF attachment) delivered through
 * Postfix → Dovecot and ingested by a real `deskhand start` process. Prints throughput
 * (first SMTP accept → last triage done), latency p50/p99 (SMTP accept → triage done),
 * peak RSS, lost/duplicated counts; and, measured in the same run on the same messages,
 * the stack's bare delivery rate and latency (SMTP accept → visible over IMAP, no deskhand) and
 * the bare mailparser rate, as ratios, and where the machine's CPU went in both (core-ms per
 * message by process, from /proc). Then sparse single messages, each more than the watcher's
 * burst-polling window after the last, against Dovecot's own IDLE notification delay.
 *
 *   npx node bench/ingest.ts [--count 1000] [--sparse 15]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { buildInvoicePdf } from '../examples/make-demo-pdf.ts';
import { deskhandEnvFor, freshDatabase, imapClientFor, stackEnv } from '../test/integration/stack.ts';
import { cpuSampler } from './lib/cpu.ts';
import { fmt, peakRssMb, percentile } from './lib/stats.ts';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    sparse: { type: 'string', default: '15' },
    split: { type: 'boolean', default: false },
  },
});
const COUNT = Number(args.count);
const SPARSE = Number(args.sparse);
const s = stackEnv();
const run = Date.now().toString(36);
const pdf = buildInvoicePdf();

function buildRaw(i: number, to: string, tag: string): Buffer {
  const id = `bench-${tag}-${i}-${run}@bench.example`;
  const head = `From: Vendor ${i} <vendor${i % 37}@supplier.example>\r\nTo: ${to}\r\nSubject: Invoice ${tag}-${i}\r\nMessage-ID: <${id}>\r\nDate: ${new Date().toUTCString()}\r\nMIME-Version: 1.0\r\n`;
  const text = `Hello,\r\n\r\nplease find invoice ${i} attached. Total EUR ${(100 + i).toFixed(2)}.\r\n\r\nRegards\r\n`;
  if (i % 2) return Buffer.from(`${head}Content-Type: text/plain; charset=utf-8\r\n\r\n${text}`);
  const b64 = pdf.toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    `${head}Content-Type: multipart/mixed; boundary=bb\r\n\r\n--bb\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n--bb\r\nContent-Type: application/pdf; name=invoice-${i}.pdf\r\nContent-Disposition: attachment; filename=invoice-${i}.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n--bb--\r\n`,
  );
}

/** Sends over a small pool of SMTP connections; returns accept time per Message-ID. */
async function burst(raws: Buffer[], to: string): Promise<Map<string, number>> {
  const t = nodemailer.createTransport({
    host: s.smtpHost,
    port: s.smtpPort,
    secure: false,
    pool: true,
    maxConnections: 8,
    maxMessages: Infinity,
  });
  const accepted = new Map<string, number>();
  await Promise.all(
    raws.map(async (raw) => {
      const id = /Message-ID: <([^>]+)>/.exec(raw.toString('latin1'))![1]!;
      await t.sendMail({ envelope: { from: 'bench@supplier.example', to: [to] }, raw });
      accepted.set(id, Date.now());
    }),
  );
  t.close();
  return accepted;
}

/**
 * The stack alone: the same burst to a mailbox no deskhand watches. A client polls it the way
 * the watcher does during a burst (new UIDs every 20 ms, envelope only) and records when each
 * message first became visible, so the stack's own accept → visible latency is known in the
 * same run as deskhand's accept → triage done.
 */
async function bareDelivery(raws: Buffer[]) {
  const to = `bare-${run}@bench.example`;
  const c = await imapClientFor(to);
  await c.mailboxOpen('INBOX');
  const seen = new Map<string, number>();
  let lastUid = 0;
  const cpu = cpuSampler(cpuGroup(new Set()));
  const t0 = Date.now();
  const sending = burst(raws, to);
  const deadline = Date.now() + 120_000;
  while (seen.size < raws.length) {
    if (Date.now() > deadline)
      throw new Error(`bare delivery: ${seen.size} of ${raws.length} visible after 120 s`);
    await c.noop();
    if (c.mailbox && c.mailbox.exists > 0) {
      for await (const m of c.fetch(`${lastUid + 1}:*`, { uid: true, envelope: true }, { uid: true })) {
        if (m.uid <= lastUid) continue;
        lastUid = Math.max(lastUid, m.uid);
        const id = m.envelope?.messageId?.replace(/^<|>$/g, '');
        if (id && !seen.has(id)) seen.set(id, Date.now());
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const elapsed = (Date.now() - t0) / 1000;
  const used = cpu.stop();
  const accepted = await sending;
  await c.logout();
  const latencies = [...seen].map(([id, at]) => at - (accepted.get(id) ?? at));
  return { rate: raws.length / elapsed, latencies, cpu: used };
}

const DELIVERY = new Set([
  'master',
  'smtpd',
  'cleanup',
  'qmgr',
  'trivial-rewrite',
  'lmtp',
  'postlogd',
  'scache',
  'tlsmgr',
  'anvil',
  'proxymap',
  'dovecot',
  'auth',
  'log',
  'config',
  'stats',
  'indexer',
  'indexer-worker',
]);
/** Who a process's CPU is charged to, for the CPU budget of the burst. */
function cpuGroup(deskhandPids: Set<number>) {
  return (pid: number, comm: string): string => {
    if (deskhandPids.has(pid)) return 'deskhand';
    if (pid === process.pid) return 'load generator';
    if (comm === 'postgres') return 'PostgreSQL';
    if (comm === 'redis-server') return 'Redis';
    if (comm === 'imap') return 'Dovecot IMAP';
    if (DELIVERY.has(comm)) return 'delivery (Postfix, LMTP)';
    return 'other';
  };
}

async function bareParse(raws: Buffer[]): Promise<number> {
  const t0 = performance.now();
  for (const r of raws) await simpleParser(r);
  return raws.length / ((performance.now() - t0) / 1000);
}

async function bareIdleDelays(n: number): Promise<number[]> {
  const to = `idle-${run}@bench.example`;
  const c = await imapClientFor(to);
  await c.mailboxOpen('INBOX');
  const delays: number[] = [];
  let sentAt = 0;
  let seen: () => void = () => undefined;
  c.on('exists', () => {
    delays.push(Date.now() - sentAt);
    seen();
  });
  // One IDLE for the whole run, entered once, as a push client would.
  c.idle().catch(() => undefined);
  const t = nodemailer.createTransport({ host: s.smtpHost, port: s.smtpPort, secure: false });
  for (let i = 0; i < n; i++) {
    await new Promise((r) => setTimeout(r, 1000 + Math.random() * 500));
    const arrived = new Promise<void>((r) => {
      seen = r;
    });
    await t.sendMail({ envelope: { from: 'b@supplier.example', to: [to] }, raw: buildRaw(i, to, 'idle') });
    sentAt = Date.now();
    await arrived;
  }
  t.close();
  await c.logout();
  return delays;
}

const CORES = availableParallelism();

/**
 * Where the machine's CPU went during the burst (first accept → last triage) and during the bare
 * delivery of the same burst, in core-ms per message. The sum bounds throughput: N cores give
 * at most N × 1000 / (core-ms per message) messages per second.
 */
function budgetTable(
  burst: { wallMs: number; byGroup: Map<string, number> },
  bare: { wallMs: number; byGroup: Map<string, number> },
  n: number,
): string {
  const groups = [...new Set([...burst.byGroup.keys(), ...bare.byGroup.keys()])].sort(
    (a, b) => (burst.byGroup.get(b) ?? 0) - (burst.byGroup.get(a) ?? 0),
  );
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const row = (label: string, a: number, b: number) =>
    `  ${label.padEnd(26)}${fmt(a / n, 2).padStart(8)}${fmt(b / n, 2).padStart(14)}`;
  return [
    `CPU per message (core-ms; ${CORES} cores)   burst   bare delivery`,
    ...groups.map((g) => row(g, burst.byGroup.get(g) ?? 0, bare.byGroup.get(g) ?? 0)),
    row('total', sum(burst.byGroup), sum(bare.byGroup)),
    `  machine busy: ${fmt((100 * sum(burst.byGroup)) / (burst.wallMs * CORES))}% of ${fmt(burst.wallMs / 1000, 1)} s in the burst, ${fmt((100 * sum(bare.byGroup)) / (bare.wallMs * CORES))}% of ${fmt(bare.wallMs / 1000, 1)} s bare`,
    `  bound at this cost: ${fmt((CORES * 1000 * n) / sum(burst.byGroup), 0)} msg/s with deskhand, ${fmt((CORES * 1000 * n) / sum(bare.byGroup), 0)} msg/s bare`,
  ].join('\n');
}

async function main() {
  const assistant = `assistant-${run}@bench.example`;
  const raws = Array.from({ length: COUNT }, (_, i) => buildRaw(i, assistant, 'burst'));
  const bytes = raws.reduce((a, r) => a + r.length, 0);
  console.log(
    `bench/ingest: ${COUNT} messages (${COUNT / 2} with a ${pdf.length}-byte PDF), ${fmt(bytes / 2 ** 20, 1)} MiB in all`,
  );

  const parseRate = await bareParse(raws);
  const bare = await bareDelivery(raws.map((_, i) => buildRaw(i, `bare-${run}@bench.example`, 'bare')));
  const deliveryRate = bare.rate;

  const db = await freshDatabase('bench');
  const env = {
    ...process.env,
    ...deskhandEnvFor({ assistant, owner: 'owner@bench.example', databaseUrl: db.url }),
    LOG_LEVEL: 'warn',
    WORKER_CONCURRENCY: process.env['WORKER_CONCURRENCY'] ?? '',
    FILING_ENABLED: process.env['FILING_ENABLED'] ?? 'true',
    QUEUE_PREFIX: `bench${run}`,
    ...(process.env['BENCH_PROFILE'] ? { NODE_OPTIONS: '--cpu-prof --cpu-prof-dir=/tmp/prof' } : {}),
  };
  // One `start` process (the default), or `watch` + `worker` as two processes (--split).
  const roles = args.split ? ['watch', 'worker'] : ['start'];
  const children = roles.map((role) =>
    spawn(process.execPath, ['bin/deskhand.js', role], { env, stdio: ['ignore', 'inherit', 'inherit'] }),
  );
  process.on('exit', () => {
    for (const c of children) c.kill('SIGKILL');
  });
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const count = async () =>
    Number((await client.query(`SELECT count(*) FROM messages WHERE status <> 'received'`)).rows[0].count);
  // Wait until the watcher is connected (its cursor row appears after the first sync).
  for (let i = 0; ; i++) {
    const r = await client
      .query('SELECT count(*) FROM mailbox_cursors')
      .catch(() => ({ rows: [{ count: 0 }] }));
    if (Number(r.rows[0].count) > 0) break;
    if (i > 300) throw new Error('deskhand did not start');
    await new Promise((r) => setTimeout(r, 100));
  }

  const cpu = cpuSampler(cpuGroup(new Set(children.map((c) => c.pid!))));
  const accepted = await burst(raws, assistant);
  const deadline = Date.now() + 180_000;
  while ((await count()) < COUNT && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const used = cpu.stop();
  await new Promise((r) => setTimeout(r, 1500));
  const rows = (
    await client.query(
      `SELECT message_id, received_at, processed_at FROM messages WHERE message_id LIKE 'bench-burst-%'`,
    )
  ).rows as { message_id: string; received_at: Date; processed_at: Date | null }[];
  const toStored = rows.map((r) => r.received_at.getTime() - accepted.get(r.message_id)!);
  const storedToDone = rows
    .filter((r) => r.processed_at)
    .map((r) => r.processed_at!.getTime() - r.received_at.getTime());
  const triaged = Number(
    (await client.query(`SELECT count(*) FROM journal WHERE action = 'triaged'`)).rows[0].count,
  );
  const ids = new Set(rows.map((r) => r.message_id));
  const lost = [...accepted.keys()].filter((id) => !ids.has(id)).length;
  const duplicated = rows.length - ids.size + Math.max(0, triaged - ids.size);
  const lat = rows
    .filter((r) => r.processed_at)
    .map((r) => r.processed_at!.getTime() - accepted.get(r.message_id)!);
  const first = Math.min(...accepted.values());
  const last = Math.max(...rows.filter((r) => r.processed_at).map((r) => r.processed_at!.getTime()));
  const throughput = rows.length / ((last - first) / 1000);

  // Sparse traffic: one message at a time, idle in between.
  const sparseLat: number[] = [];
  const t = nodemailer.createTransport({ host: s.smtpHost, port: s.smtpPort, secure: false });
  for (let i = 0; i < SPARSE; i++) {
    // Longer than the watcher's 2 s burst-polling window, so each message waits on IDLE alone.
    await new Promise((r) => setTimeout(r, 2_500 + Math.random() * 1_500));
    const raw = buildRaw(i, assistant, 'sparse');
    const id = /Message-ID: <([^>]+)>/.exec(raw.toString())![1]!;
    await t.sendMail({ envelope: { from: 'b@supplier.example', to: [assistant] }, raw });
    const sent = Date.now();
    for (;;) {
      const r = await client.query('SELECT processed_at FROM messages WHERE message_id = $1', [id]);
      if (r.rows[0]?.processed_at) {
        sparseLat.push((r.rows[0].processed_at as Date).getTime() - sent);
        break;
      }
      if (Date.now() - sent > 20_000) {
        sparseLat.push(Number.POSITIVE_INFINITY);
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  t.close();
  const rssEach = await Promise.all(children.map((c) => peakRssMb(c.pid!)));
  const rss = rssEach.reduce((a, b) => a + b, 0);
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))));
  await client.end();
  await db.drop();
  const idle = await bareIdleDelays(SPARSE);

  const result = {
    count: COUNT,
    lost,
    duplicated,
    throughputPerS: throughput,
    latencyP50Ms: percentile(lat, 50),
    latencyP99Ms: percentile(lat, 99),
    latencyMaxMs: percentile(lat, 100),
    peakRssMb: rss,
    bareDeliveryPerS: deliveryRate,
    bareLatencyP50Ms: percentile(bare.latencies, 50),
    bareLatencyP99Ms: percentile(bare.latencies, 99),
    bareParsePerS: parseRate,
    sparseP50Ms: percentile(sparseLat, 50),
    sparseMaxMs: percentile(sparseLat, 100),
    dovecotIdleP50Ms: percentile(idle, 50),
    dovecotIdleMaxMs: percentile(idle, 100),
    cpuMsPerMessage: Object.fromEntries([...used.byGroup].map(([g, ms]) => [g, ms / COUNT])),
    bareCpuMsPerMessage: Object.fromEntries([...bare.cpu.byGroup].map(([g, ms]) => [g, ms / COUNT])),
    cpuWallMs: used.wallMs,
  };
  console.log(`
burst of ${COUNT}:           lost ${lost}, duplicated ${duplicated}
ingest throughput:        ${fmt(throughput, 1)} msg/s (first SMTP accept → last triage done)
  vs bare delivery:       ${fmt(deliveryRate, 1)} msg/s (SMTP accept → visible over IMAP)   ratio ${fmt(throughput / deliveryRate, 2)}
  vs bare mailparser:     ${fmt(parseRate, 1)} msg/s (parse only, one core)                 ratio ${fmt(throughput / parseRate, 2)}
latency in the burst:     p50 ${fmt(result.latencyP50Ms)} ms, p99 ${fmt(result.latencyP99Ms)} ms, max ${fmt(result.latencyMaxMs)} ms (SMTP accept → triage done)
  bare delivery:          p50 ${fmt(result.bareLatencyP50Ms)} ms, p99 ${fmt(result.bareLatencyP99Ms)} ms (SMTP accept → visible over IMAP, no deskhand)   p99 ratio ${fmt(result.latencyP99Ms / result.bareLatencyP99Ms, 2)}
  accept → stored:        p50 ${fmt(percentile(toStored, 50))} ms, p99 ${fmt(percentile(toStored, 99))} ms (watcher: IDLE, fetch, commit)
  stored → triaged:       p50 ${fmt(percentile(storedToDone, 50))} ms, p99 ${fmt(percentile(storedToDone, 99))} ms (queue, parse, triage, commit)
peak RSS (deskhand):      ${fmt(rss, 1)} MiB (${roles.map((r, i) => `${r} ${fmt(rssEach[i]!, 0)}`).join(' + ')})
single messages (${SPARSE}):    p50 ${fmt(result.sparseP50Ms)} ms, max ${fmt(result.sparseMaxMs)} ms
  Dovecot IDLE notice:    p50 ${fmt(result.dovecotIdleP50Ms)} ms, max ${fmt(result.dovecotIdleMaxMs)} ms (SMTP accept → EXISTS, no deskhand)
  deskhand over IDLE:     ${fmt(result.sparseP50Ms - result.dovecotIdleP50Ms)} ms at p50`);
  console.log(budgetTable(used, bare.cpu, COUNT));
  mkdirSync('bench/out', { recursive: true });
  writeFileSync('bench/out/ingest.json', JSON.stringify(result, null, 2));
  process.exit(lost || duplicated ? 1 : 0);
}

await main();
