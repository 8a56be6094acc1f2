/**
 * bench/shadow-mbox — `deskhand shadow` over a large mbox, in-process: does memory stay flat?
 *
 * Generates (deterministically, from a seed) an mbox of varied messages in a temporary directory —
 * invoices with a small PDF, newsletters, replies with quotes, auto-replies, requests, meeting
 * requests, CC'd FYIs and bounces, some with mboxrd-escaped ">From " lines — then runs the shadow
 * command over it, sampling RSS. Prints messages/s, peak RSS, and RSS (and V8 heap) at 10 %, 50 % and
 * 100 % of the messages, with the ratio 100 % / 10 % (flat ≈ 1).
 *
 *   npx node --expose-gc bench/shadow-mbox.ts [--count 10000] [--seed 7] [--keep]
 *
 * (--expose-gc only makes the heap figure "retained after a full collection"; RSS is sampled first.)
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildInvoicePdf } from '../examples/make-demo-pdf.ts';
import { shadowCommand } from '../src/commands/shadow.command.ts';
import { fmt } from './lib/stats.ts';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '7' },
    keep: { type: 'boolean', default: false },
  },
});
const COUNT = Number(args.count);

/** mulberry32: a tiny seeded PRNG, so every run reads the same mailbox. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OWNER = 'maya@northwind.example';
const ASSISTANT = 'assistant@northwind.example';
const PEOPLE = [
  'Dana Lee <dana@lumen.example>',
  'Tomás Ruiz <tomas@ruiz-consulting.example>',
  'Priya Shah <priya@orbit.example>',
  'Ken Ito <ken@harbor.example>',
];
const TEAM = ['Jon Park <jon@northwind.example>', 'Ana Gil <ana@northwind.example>'];
const WORDS =
  'quarterly numbers contract draft pilot budget proposal schedule shipment review renewal onboarding workshop roadmap invoice report'.split(
    ' ',
  );

function message(i: number, rnd: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  const day = 1 + (i % 28);
  const date = `Mon, ${String(day).padStart(2, '0')} Feb 2026 ${String(8 + (i % 10)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00 +0000`;
  const topic = `${pick(WORDS)} ${pick(WORDS)}`;
  const id = `<bench-${i}@mbox.example>`;
  const head = (from: string, subject: string, extra: string[] = []) =>
    [
      `From: ${from}`,
      `To: ${ASSISTANT}`,
      `Subject: ${subject}`,
      `Message-ID: ${id}`,
      `Date: ${date}`,
      'MIME-Version: 1.0',
      ...extra,
    ].join('\n');
  const text = (body: string) =>
    `Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n${body}\n`;
  const kind = rnd();
  if (kind < 0.1) {
    const pdf = buildInvoicePdf({ 'Invoice number: 2024-0042': `Invoice number: 2026-${1000 + i}` });
    const b64 = pdf.toString('base64').replace(/.{76}/g, '$&\n');
    return `${head(`Billing <billing${i % 40}@acme-${i % 40}.example>`, `Invoice 2026-${1000 + i}`, ['Content-Type: multipart/mixed; boundary=bb'])}\n\n--bb\n${text(`Hello,\n\nplease find invoice 2026-${1000 + i} attached.\n\nRegards\nBilling`)}--bb\nContent-Type: application/pdf; name=invoice-${i}.pdf\nContent-Disposition: attachment; filename=invoice-${i}.pdf\nContent-Transfer-Encoding: base64\n\n${b64}\n--bb--\n`;
  }
  if (kind < 0.3) {
    const html = `<html><body><h1>${topic} weekly</h1>${'<p>News about the ' + pick(WORDS) + ' and the ' + pick(WORDS) + '.</p>'.repeat(8)}<a href="https://letters.example/u">Unsubscribe</a></body></html>`;
    return `${head(`Letters <news@letters${i % 7}.example>`, `This week: ${topic}`, ['List-Id: <weekly.letters.example>', 'List-Unsubscribe: <https://letters.example/u>', 'Precedence: bulk'])}\nContent-Type: text/html; charset=utf-8\n\n${html}\n`;
  }
  if (kind < 0.5) {
    const who = pick(PEOPLE);
    const quote = Array.from(
      { length: 6 },
      (_, k) => `> line ${k} of the earlier mail about the ${topic}`,
    ).join('\n');
    return `${head(who, `Re: ${topic}`, [`In-Reply-To: <bench-${Math.max(0, i - 3)}@mbox.example>`])}\n${text(`Thanks, that works for us.\n\nFrom what I hear the ${topic} is on track.\n\nOn Mon, 2 Feb 2026, Maya Chen <${OWNER}> wrote:\n${quote}`)}`;
  }
  if (kind < 0.6)
    return `${head(pick(PEOPLE), `Out of office: ${topic}`, ['Auto-Submitted: auto-replied', 'X-Autoreply: yes'])}\n${text('I am out of the office until Monday and will reply when I am back.')}`;
  if (kind < 0.75)
    return `${head(pick(PEOPLE), `Question about the ${topic}`)}\n${text(`Hi Maya,\n\ncould you send me the ${topic} by Friday? We need it for the review.\n\nBest regards`)}`;
  if (kind < 0.85)
    return `${head(pick(TEAM), `FYI: ${topic}`, [`Cc: ${OWNER}`])}\n${text(`For the record: the ${topic} went out today.\nFrom now on the team tracks it in the shared folder.`)}`;
  if (kind < 0.95)
    return `${head(pick(PEOPLE), `Meeting about the ${topic}`, [`Cc: ${OWNER}`])}\n${text(`Hi Maya,\n\ncan we find 30 minutes next week to talk about the ${topic}? Tuesday or Wednesday afternoon would suit me.\n\nThanks`)}`;
  return `${head('Mail Delivery System <MAILER-DAEMON@mx.northwind.example>', 'Undelivered Mail Returned to Sender', ['Auto-Submitted: auto-replied', 'Content-Type: multipart/report; report-type=delivery-status; boundary=rr'])}\n\n--rr\n${text('This is the mail system. Your message could not be delivered.')}--rr\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.northwind.example\n\nFinal-Recipient: rfc822; gone@lumen.example\nAction: failed\nStatus: 5.1.1\n\n--rr--\n`;
}

/** The mbox, written as tools write mboxrd: From_ line, message, blank line; body "From " lines escaped. */
function writeMbox(file: string, count: number, seed: number): void {
  const rnd = prng(seed);
  const parts: string[] = [];
  let written = 0;
  const flush = () => {
    writeFileSync(file, parts.join(''), { flag: written ? 'a' : 'w' });
    written += parts.length;
    parts.length = 0;
  };
  for (let i = 0; i < count; i++) {
    const body = message(i, rnd).replace(/^(>*From )/gm, '>$1');
    parts.push(`From bench@mbox.example Mon Feb  2 08:00:00 2026\n${body}\n`);
    if (parts.length === 500) flush();
  }
  flush();
}

const dir = mkdtempSync(join(tmpdir(), 'shadow-bench-'));
const mbox = join(dir, 'bench.mbox');
const t0 = Date.now();
writeMbox(mbox, COUNT, Number(args.seed));
const mb = (n: number) => n / 1024 / 1024;
process.stderr.write(
  `generated ${COUNT} messages, ${fmt(mb(statSync(mbox).size), 1)} MiB, in ${Date.now() - t0} ms: ${mbox}\n`,
);

const marks = new Map<number, { rss: number; heap: number; at: number }>();
/** RSS as the process has it; then, with --expose-gc, the V8 heap a full collection leaves (what is retained). */
const gc = (globalThis as { gc?: () => void }).gc;
const sample = () => {
  const rss = process.memoryUsage().rss;
  gc?.();
  return { rss, heap: process.memoryUsage().heapUsed, at: Date.now() };
};
let peakSampled = 0;
const sampler = setInterval(() => {
  peakSampled = Math.max(peakSampled, process.memoryUsage().rss);
}, 200);
let runStart = 0;
let summary = '';
const started = Date.now();
const code = await shadowCommand({
  source: mbox,
  out: join(dir, 'out'),
  env: {
    OWNER_EMAIL: OWNER,
    OWNER_NAME: 'Maya Chen',
    OWNER_TIMEZONE: 'America/New_York',
    ASSISTANT_EMAIL: ASSISTANT,
    TEAM_DOMAINS: 'northwind.example',
    LOG_LEVEL: 'silent',
  },
  now: '2026-03-02T12:00:00Z',
  progressEvery: 1000,
  stdout: { write: (s: string) => (summary += s) },
  onProgress: (p) => {
    if (p.done === 1) runStart = Date.now();
    peakSampled = Math.max(peakSampled, process.memoryUsage().rss);
    for (const pct of [10, 50, 100]) if (p.done === Math.ceil((COUNT * pct) / 100)) marks.set(pct, sample());
  },
});
clearInterval(sampler);
const finished = Date.now();
process.stdout.write(summary);
const at = (pct: number) => marks.get(pct);
const processing = ((at(100)?.at ?? finished) - runStart) / 1000;
const peakTotal = process.resourceUsage().maxRSS / 1024;
const report = statSync(join(dir, 'out', 'report.html')).size;
const rows: Array<[string, string]> = [
  ['exit code', String(code)],
  ['messages', COUNT.toLocaleString('en')],
  [
    'throughput (store + triage + skills, first → last message)',
    `${fmt(COUNT / processing, 1)} msg/s (${fmt(processing, 1)} s)`,
  ],
  ['whole command (open + migrate + run + report)', `${fmt((finished - started) / 1000, 1)} s`],
  [
    'report.html',
    `${fmt(mb(report), 1)} MiB, written in ${fmt((finished - (at(100)?.at ?? finished)) / 1000, 1)} s`,
  ],
  ...[10, 50, 100].map((pct): [string, string] => [
    `RSS / V8 heap${gc ? ' after full GC' : ''} at ${pct} %`,
    `${fmt(mb(at(pct)?.rss ?? Number.NaN))} MiB / ${fmt(mb(at(pct)?.heap ?? Number.NaN))} MiB`,
  ]),
  ['RSS ratio 100 % / 10 % (flat ≈ 1.0)', fmt((at(100)?.rss ?? Number.NaN) / (at(10)?.rss ?? Number.NaN), 2)],
  ['peak RSS sampled during the run and report', `${fmt(mb(peakSampled))} MiB`],
  ["peak RSS of the process (VmHWM; includes PGlite's initdb)", `${fmt(peakTotal)} MiB`],
];
const width = Math.max(...rows.map(([k]) => k.length));
process.stdout.write(`\n${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`);
if (args.keep) process.stdout.write(`kept: ${dir}\n`);
else rmSync(dir, { recursive: true, force: true });
process.exit(code);
