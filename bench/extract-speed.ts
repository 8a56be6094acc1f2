/**
 * bench/extract-speed — documents per second of the extract path versus bare pdf-parse text
 * extraction, on the same PDFs (all of ../shared/corpora zugferd-corpus and invoice2data
 * compare), in the same process, both warm, several rounds, median; printed with the ratio
 * (issue 4, "Speed": the whole path must reach ≥ 80 % of bare pdf-parse).
 *
 * Every side reads the documents one after another, so the ratio compares like with like
 * (our pool could run two at once, bare pdf-parse cannot). Two readPdf rows: the call the
 * brief names (text + embedded files: the swap point for the whole path, `measured`), and
 * `preferEInvoice`, which the extract path should use: it parses the embedded e-invoice and
 * skips the text layer it would not use.
 *
 *   npx node bench/extract-speed.ts [--rounds 5]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { PDFParse } from 'pdf-parse';
import { extractDocuments } from '../src/extract/extract.ts';
import { closePdfReader, readPdf } from '../src/extract/pdf/pdf.reader.ts';
import { fmt, percentile } from './lib/stats.ts';
import { CORPORA } from './lib/text.ts';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, 'text-only': { type: 'boolean', default: false } },
});
const ROUNDS = Math.max(1, Number(args.rounds));

/** The path being measured: the whole extract path (`deskhand extract` without the model). */
async function measured(content: Buffer, source: string): Promise<unknown> {
  const [r] = await extractDocuments({ name: source, content }, { ocr: false });
  if (!r?.ok) throw new Error(`${source}: ${r?.error.message}`);
  return r.doc;
}

/** The reader as the extract path should call it: an embedded e-invoice, parsed, replaces the text layer. */
async function eInvoiceFirst(content: Buffer, source: string): Promise<unknown> {
  return readPdf(content, source, { preferEInvoice: true });
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

/** Runs `run` and returns its wall time; a failure counts as done and is listed once. */
async function timed(run: () => Promise<unknown>, name: string, failures: Set<string>): Promise<number> {
  const start = performance.now();
  try {
    await run();
  } catch (err) {
    failures.add(`${name}: ${err instanceof Error ? err.message : err}`);
  }
  return performance.now() - start;
}

const SIDES = {
  measured: {
    label: 'whole extract path (XML first, else text layer + field reading)',
    run: (d: Doc) => measured(d.content, d.name),
  },
  einvoice: {
    label: 'readPdf preferEInvoice (XML parsed, no text)',
    run: (d: Doc) => eInvoiceFirst(d.content, d.name),
  },
  bare: { label: 'bare pdf-parse getText, main thread', run: (d: Doc) => bare(d.content) },
};
type Side = keyof typeof SIDES;
const sides = Object.keys(SIDES) as Side[];

/**
 * One pass over all documents, each read by every side back to back (who goes first rotates
 * per round), so load from other processes hits all sides alike. Returns documents per second.
 */
async function round(
  docs: Doc[],
  i: number,
  failures: Record<Side, Set<string>>,
): Promise<Record<Side, number>> {
  const ms = { measured: 0, einvoice: 0, bare: 0 };
  const order = sides.map((_, k) => sides[(k + i) % sides.length]!);
  for (const doc of docs) {
    for (const side of order) ms[side] += await timed(() => SIDES[side].run(doc), doc.name, failures[side]);
  }
  return {
    measured: docs.length / (ms.measured / 1000),
    einvoice: docs.length / (ms.einvoice / 1000),
    bare: docs.length / (ms.bare / 1000),
  };
}

async function main(): Promise<void> {
  // `--text-only`: only the PDFs without an embedded e-invoice (invoice2data), where the whole
  // path must read the text layer and the fields — the honest ratio for ordinary PDFs.
  const textOnly = args['text-only'];
  const files = [
    ...(textOnly ? [] : pdfsUnder(join(CORPORA, 'zugferd-corpus'))),
    ...pdfsUnder(join(CORPORA, 'invoice2data', 'compare')),
    ...(textOnly ? pdfsUnder(join(CORPORA, 'invoice2data', 'extra-no-ground-truth')) : []),
  ];
  const docs = files.sort().map((f) => ({ name: relative(CORPORA, f), content: readFileSync(f) }));
  const mb = docs.reduce((n, d) => n + d.content.byteLength, 0) / (1024 * 1024);
  console.log(`${docs.length} PDFs, ${mb.toFixed(1)} MB; ${ROUNDS} rounds after a warm-up round; median`);

  const failures = { measured: new Set<string>(), einvoice: new Set<string>(), bare: new Set<string>() };
  await round(docs, 0, failures);
  const rounds: Array<Record<Side, number>> = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await round(docs, i, failures));
  await closePdfReader();

  const median = (xs: number[]) => percentile(xs, 50);
  for (const side of sides) {
    const xs = rounds.map((r) => r[side]);
    console.log(
      `  ${SIDES[side].label.padEnd(46)} ${fmt(median(xs), 1).padStart(6)} docs/s  (${xs.map((x) => fmt(x, 1)).join(', ')})`,
    );
  }
  for (const side of ['measured', 'einvoice'] as const) {
    const ratio = median(rounds.map((r) => r[side] / r.bare));
    console.log(`  ratio ${side} / bare: ${(100 * ratio).toFixed(1)} %  (target ≥ 80 %)`);
  }
  for (const side of sides) for (const f of failures[side]) console.log(`  ${side} failed: ${f}`);
}

await main();
