/**
 * bench/extract-speed — documents per second of the extract path versus bare pdf-parse text
 * extraction, on the same PDFs (all of ../shared/corpora zugferd-corpus and invoice2data
 * compare), in the same process, both warm, several rounds, median; printed with the ratio
 * (issue 4, "Speed": the whole path must reach ≥ 80 % of bare pdf-parse).
 *
 * Both sides read the documents one after another, so the ratio compares like with like
 * (our pool could run two at once, bare pdf-parse cannot).
 *
 *   npx node bench/extract-speed.ts [--rounds 5]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { PDFParse } from 'pdf-parse';
import { closePdfReader, readPdf } from '../src/extract/pdf/pdf.reader.ts';
import { fmt, percentile } from './lib/stats.ts';
import { CORPORA } from './lib/text.ts';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const ROUNDS = Math.max(1, Number(args.rounds));

/** The path being measured. To measure the whole extract path, change this one call. */
async function measured(content: Buffer, source: string): Promise<unknown> {
  return readPdf(content, source);
}

/** Bare pdf-parse: text of every page, nothing else, on the main thread. */
async function bare(content: Buffer): Promise<unknown> {
  const parser = new PDFParse({ data: new Uint8Array(content) });
  try {
    return await parser.getText();
  } finally {
    await parser.destroy();
  }
}

function pdfsUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return pdfsUnder(path);
    return name.toLowerCase().endsWith('.pdf') ? [path] : [];
  });
}

interface Doc {
  name: string;
  content: Buffer;
}

/** Runs `run` and adds the wall time to `ms`; a failure counts as done and is listed once. */
async function timed(run: () => Promise<unknown>, name: string, failures: Set<string>): Promise<number> {
  const start = performance.now();
  try {
    await run();
  } catch (err) {
    failures.add(`${name}: ${err instanceof Error ? err.message : err}`);
  }
  return performance.now() - start;
}

interface Rates {
  measured: number;
  bare: number;
}

/**
 * One pass over all documents, each read by both sides back to back (alternating who goes
 * first), so load from other processes hits both alike. Returns documents per second per side.
 */
async function round(docs: Doc[], i: number, failures: Record<keyof Rates, Set<string>>): Promise<Rates> {
  let measuredMs = 0;
  let bareMs = 0;
  for (const doc of docs) {
    const a = () => timed(() => measured(doc.content, doc.name), doc.name, failures.measured);
    const b = () => timed(() => bare(doc.content), doc.name, failures.bare);
    if (i % 2 === 0) {
      bareMs += await b();
      measuredMs += await a();
    } else {
      measuredMs += await a();
      bareMs += await b();
    }
  }
  return { measured: docs.length / (measuredMs / 1000), bare: docs.length / (bareMs / 1000) };
}

/** Documents per second with `inFlight` documents read at once (the pool runs two workers by default). */
async function concurrent(docs: Doc[], inFlight: number): Promise<number> {
  const start = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < docs.length) {
      const doc = docs[next++]!;
      await measured(doc.content, doc.name).catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return docs.length / ((performance.now() - start) / 1000);
}

async function main(): Promise<void> {
  const files = [
    ...pdfsUnder(join(CORPORA, 'zugferd-corpus')),
    ...pdfsUnder(join(CORPORA, 'invoice2data', 'compare')),
  ];
  const docs = files.sort().map((f) => ({ name: relative(CORPORA, f), content: readFileSync(f) }));
  const mb = docs.reduce((n, d) => n + d.content.byteLength, 0) / (1024 * 1024);
  console.log(`${docs.length} PDFs, ${mb.toFixed(1)} MB; ${ROUNDS} rounds after a warm-up round; median`);

  const failures = { measured: new Set<string>(), bare: new Set<string>() };
  await round(docs, 0, failures);
  const rounds: Rates[] = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await round(docs, i, failures));
  const parallel: number[] = [];
  for (let i = 0; i < ROUNDS; i++) parallel.push(await concurrent(docs, 2));
  await closePdfReader();

  const median = (xs: number[]) => percentile(xs, 50);
  const row = (label: string, xs: number[]) =>
    console.log(
      `  ${label.padEnd(44)} ${fmt(median(xs), 1).padStart(6)} docs/s  (${xs.map((x) => fmt(x, 1)).join(', ')})`,
    );
  row(
    'measured: readPdf (text + embedded files)',
    rounds.map((r) => r.measured),
  );
  row(
    'bare pdf-parse getText, main thread',
    rounds.map((r) => r.bare),
  );
  const ratios = rounds.map((r) => r.measured / r.bare);
  console.log(
    `  ratio measured / bare, one at a time: ${(100 * median(ratios)).toFixed(1)} %  (target ≥ 80 %)`,
  );
  row('measured, 2 documents in flight', parallel);
  console.log(
    `  ratio, 2 in flight vs bare: ${((100 * median(parallel)) / median(rounds.map((r) => r.bare))).toFixed(1)} %`,
  );
  for (const [side, set] of Object.entries(failures)) {
    for (const f of set) console.log(`  ${side} failed: ${f}`);
  }
}

await main();
