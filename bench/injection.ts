/**
 * Measures src/triage/injection.ts. The public corpora in ../shared/corpora are benign mail
 * (forwards, replies, odd MIME, invoice text, Enron-style sentences, receipts), so every text
 * flagged there is a false positive; the synthetic attacks in test/fixtures/injection give the
 * detection rate. Run: `npx node bench/injection.ts` (`--quiet` omits the list of flagged texts).
 *
 * Not covered: the corpora's PDF invoices (the project has no PDF text extractor yet); their
 * payment terms are read from the ZUGFeRD ground truth instead.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import { convert } from 'html-to-text';
import { simpleParser } from 'mailparser';
import { stripInvisible } from '../src/shared/invisible.ts';
import { detectInjection, type InjectionFinding } from '../src/triage/injection.ts';
import { BLIND_ATTACKS, BLIND_BENIGN } from '../test/fixtures/injection/blind.ts';
import { ATTACKS, type AttackCase, BENIGN, toInput } from '../test/fixtures/injection/cases.ts';
import { SECOND_ATTACKS, SECOND_BENIGN } from '../test/fixtures/injection/cases-2.ts';
import { CORPORA, pct } from './lib/text.ts';

interface Sample {
  source: string;
  id: string;
  subject: string;
  text: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const NOT_MAIL = /^(license|notice|readme)/i;

/** Every message text in the corpora, as ingest would see it (one sample per message or text). */
async function corpusSamples(): Promise<Sample[]> {
  const samples: Sample[] = [];
  const add = (source: string, id: string, text: string, subject = '') =>
    samples.push({ source, id, subject, text });
  for (const path of walk(CORPORA)) {
    const rel = relative(CORPORA, path);
    const source = rel.split('/')[0]!;
    const ext = extname(path).toLowerCase();
    if (NOT_MAIL.test(basename(path))) continue;
    if (ext === '.eml') {
      const mail = await simpleParser(readFileSync(path));
      add(source, rel, mail.text ?? (mail.html ? convert(mail.html) : ''), mail.subject ?? '');
    } else if (ext === '.txt' || (ext === '' && rel.startsWith('talon/'))) {
      add(source, rel, readFileSync(path, 'utf8'));
    } else if (ext === '.html') {
      add(source, rel, convert(readFileSync(path, 'utf8')));
    } else if (ext === '.tsv') {
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const sentence = line.split('\t')[1];
          if (sentence) add(source, `${rel}:${i + 1}`, sentence);
        });
    } else if (rel.endsWith('.expected.json')) {
      const terms = (JSON.parse(readFileSync(path, 'utf8')) as { payment_terms?: string | null })
        .payment_terms;
      if (terms) add(source, rel, terms);
    } else if (rel === 'talon/inline_cases.json') {
      const cases = JSON.parse(readFileSync(path, 'utf8')) as Record<
        string,
        Array<{ id: string; input: unknown }>
      >;
      for (const key of ['text_quotations', 'signature_bruteforce', 'html_quotations']) {
        for (const c of cases[key] ?? []) {
          const input = typeof c.input === 'string' ? c.input : JSON.stringify(c.input);
          add(source, `${rel}#${c.id}`, key === 'html_quotations' ? convert(input) : input);
        }
      }
    } else if (ext === '.jsonl') {
      readFileSync(path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .forEach((line, i) => {
          add(source, `${rel}:${i + 1}`, ((JSON.parse(line) as { words: string[] }).words ?? []).join('\n'));
        });
    }
  }
  return samples;
}

function detect(s: Sample): InjectionFinding[] {
  const text = stripInvisible(s.text);
  return detectInjection({ subject: stripInvisible(s.subject).text, text: text.text, hidden: text.hidden });
}

function falsePositives(samples: Sample[], quiet: boolean): void {
  const bySource = new Map<string, { total: number; flagged: number }>();
  const flagged: Array<{ id: string; findings: InjectionFinding[] }> = [];
  const start = performance.now();
  for (const s of samples) {
    const row = bySource.get(s.source) ?? { total: 0, flagged: 0 };
    row.total++;
    const findings = detect(s);
    if (findings.length > 0) {
      row.flagged++;
      flagged.push({ id: s.id, findings });
    }
    bySource.set(s.source, row);
  }
  const ms = performance.now() - start;
  console.log('False positives on the public corpora (benign mail; every flag is a false positive)');
  for (const [source, r] of [...bySource].sort()) {
    console.log(`  ${source.padEnd(26)} ${String(r.flagged).padStart(4)} / ${String(r.total).padStart(5)}`);
  }
  console.log(
    `  ${'all'.padEnd(26)} ${String(flagged.length).padStart(4)} / ${String(samples.length).padStart(5)}  ${pct(flagged.length, samples.length)}  (${ms.toFixed(0)} ms)`,
  );
  if (quiet) return;
  for (const f of flagged) {
    console.log(`  - ${f.id}`);
    for (const x of f.findings)
      console.log(`      ${x.rule}${x.hidden ? ' (hidden)' : ''}: ${JSON.stringify(x.phrase)}`);
  }
}

function detectionRate(title: string, attacks: AttackCase[], benign: string[]): void {
  const groups = new Map<string, { total: number; hit: number }>();
  const misses: string[] = [];
  let flaggedAtAll = 0;
  for (const a of attacks) {
    const findings = detectInjection(toInput(a));
    const hit = findings.some((f) => f.rule === a.rule);
    if (findings.length > 0) flaggedAtAll++;
    for (const key of [`lang ${a.lang}`, `disguise ${a.disguise ?? 'visible'}`, `rule ${a.rule}`]) {
      const g = groups.get(key) ?? { total: 0, hit: 0 };
      g.total++;
      if (hit) g.hit++;
      groups.set(key, g);
    }
    if (!hit) misses.push(`${a.id} (${a.rule}): ${a.text}`);
  }
  const hits = attacks.length - misses.length;
  console.log(`\nDetection rate, ${title} (expected rule fired)`);
  for (const [key, g] of [...groups].sort()) {
    console.log(
      `  ${key.padEnd(34)} ${String(g.hit).padStart(3)} / ${String(g.total).padStart(3)}  ${pct(g.hit, g.total)}`,
    );
  }
  console.log(
    `  ${'all'.padEnd(34)} ${String(hits).padStart(3)} / ${String(attacks.length).padStart(3)}  ${pct(hits, attacks.length)}`,
  );
  console.log(
    `  ${'flagged by any rule'.padEnd(34)} ${String(flaggedAtAll).padStart(3)} / ${String(attacks.length).padStart(3)}  ${pct(flaggedAtAll, attacks.length)}`,
  );
  console.log(`  misses (expected rule): ${misses.length === 0 ? 'none' : `\n    ${misses.join('\n    ')}`}`);

  const benignFlagged = benign.filter(
    (t) => detectInjection({ subject: '', text: t, hidden: '' }).length > 0,
  );
  console.log(
    `\nBenign business sentences of the same set flagged: ${benignFlagged.length} / ${benign.length}` +
      (benignFlagged.length ? `\n    ${benignFlagged.join('\n    ')}` : ''),
  );
}

const quiet = process.argv.includes('--quiet');
falsePositives(await corpusSamples(), quiet);
detectionRate('synthetic attacks the rules were written against (cases.ts)', ATTACKS, BENIGN);
detectionRate(
  'second set, rules generalised on its misses (cases-2.ts; 58.3% before)',
  SECOND_ATTACKS,
  SECOND_BENIGN,
);
detectionRate('BLIND set, never used to change the rules (blind.ts)', BLIND_ATTACKS, BLIND_BENIGN);
