/**
 * Builds the reply-extraction cases of ../shared/corpora (README §4 and §5) and
 * scores an extractor on them. Each case carries its own check; the README's
 * caveats (library-specific expectations) are applied here, case by case, with
 * the reason next to them.
 */
import { simpleParser } from 'mailparser';
import { htmlToText } from '../../src/ingest/html.ts';
import { stripSignature } from '../../src/ingest/reply.ts';
import { norm, noSpace, readCorpus, readCorpusJson } from './text.ts';

export interface ReplyCase {
  set: string;
  id: string;
  /** Plain text given to the extractor (HTML cases are converted with our htmlToText first). */
  input: string;
  /** 'tolerated': passes only under a README caveat that accepts either upstream's reading. */
  check: (reply: string, ms: number) => Verdict;
}

export type Verdict = 'pass' | 'tolerated' | 'fail';
const verdict = (ok: boolean): Verdict => (ok ? 'pass' : 'fail');

interface ErpCase {
  id: string;
  file: string;
  note?: string;
  expected_reply_trimmed?: string;
  reply_must_match?: string[];
  reply_must_not_match?: string[];
}

/** "-Abhishek Kona" as the last line. */
const dropDashName = (s: string) => norm(s).replace(/\n+-\p{Lu}[\p{L}.' -]{0,40}$/u, '');

/**
 * README §4 caveat: "A `-Abhishek Kona` sign-off is a signature in github but kept in crisp";
 * "crisp keeps an em-dash signature (email_emoji)". Either reading is accepted there.
 */
const TOLERANT_DASH_NAME = new Set([
  'crisp/email_1',
  'crisp/email_3',
  'github/email_1_1',
  'github/email_1_3',
]);
const ALSO_ACCEPTED: Record<string, string> = { 'crisp/email_emoji': '🎉' };

function erpCheck(set: string, c: ErpCase, input: string): ReplyCase['check'] {
  const key = `${set}/${c.id}`;
  const note = c.note ?? '';
  const whole =
    /nothing (?:to strip|should be stripped)|whole message is one fragment|keeps the whole text/i.test(note);
  const perf = /performance|redos/i.test(note);
  // "Ideal reply = the three unquoted answer lines" (tricky_18): the unquoted lines after the header.
  const inline = /unquoted answer lines/i.test(note)
    ? input
        .split('\n')
        .slice(1)
        .filter((l) => l.trim() !== '' && !l.startsWith('>'))
        .join('\n\n')
    : null;
  const strict = (reply: string) => {
    const r = norm(reply);
    if (c.expected_reply_trimmed !== undefined && r !== norm(c.expected_reply_trimmed)) return false;
    if ((c.reply_must_match ?? []).some((re) => !new RegExp(re, 'mu').test(r))) return false;
    if ((c.reply_must_not_match ?? []).some((re) => new RegExp(re, 'mu').test(r))) return false;
    if (whole && r !== norm(input)) return false;
    return inline === null || r === norm(inline);
  };
  return (reply, ms) => {
    if (perf) return verdict(ms < 1000);
    if (strict(reply)) return 'pass';
    if (norm(reply) === ALSO_ACCEPTED[key]) return 'tolerated';
    if (!TOLERANT_DASH_NAME.has(key)) return 'fail';
    const expected = c.expected_reply_trimmed;
    const ok =
      expected !== undefined ? dropDashName(reply) === dropDashName(expected) : strict(dropDashName(reply));
    return ok ? 'tolerated' : 'fail';
  };
}

function erpCases(set: string): ReplyCase[] {
  const { cases } = readCorpusJson<{ cases: ErpCase[] }>('email-reply-parser', set, 'expected.json');
  return cases.map((c) => {
    const input = readCorpus('email-reply-parser', set, c.file);
    return { set: `email-reply-parser/${set}`, id: c.id, input, check: erpCheck(set, c, input) };
  });
}

interface TalonFixture {
  file: string;
  function: string;
  expected?: string | null;
  expected_text?: string;
  expected_if_also_stripping_signature?: string;
}

interface TalonInline {
  id: string;
  function: string;
  input: string;
  expected: string;
  expected_text_no_whitespace?: string;
  upstream_patches?: string[];
}

async function firstTextPart(path: string): Promise<string> {
  const mail = await simpleParser(readCorpus('talon', path));
  return mail.text ?? '';
}

async function talonFixtureCases(): Promise<ReplyCase[]> {
  const { cases } = readCorpusJson<{ cases: TalonFixture[] }>('talon', 'expected.json');
  const out: ReplyCase[] = [];
  for (const c of cases) {
    const id = c.file.replace(/^fixtures\/(?:standard_replies\/|html_replies\/)?/, '');
    if (c.file.endsWith('.eml') && c.file.includes('standard_replies')) {
      const accepted = [c.expected_if_also_stripping_signature, c.expected].map(norm);
      const check = (r: string) => verdict(accepted.includes(norm(r)));
      out.push({ set: 'talon/standard_replies', id, input: await firstTextPart(c.file), check });
    } else if (c.file.endsWith('.eml')) {
      // Decoded (first text/plain part) rather than raw: upstream's only assertions are these two.
      const check = (r: string) => verdict(r.trim() !== '' && !r.includes('From'));
      out.push({ set: 'talon/standard_replies', id, input: await firstTextPart(c.file), check });
    } else if (c.file.endsWith('.html')) {
      const want = noSpace(c.expected_text ?? '');
      out.push({
        set: 'talon/html_replies',
        id,
        input: htmlToText(readCorpus('talon', c.file)),
        check: (r) => verdict(noSpace(r) === want),
      });
    }
  }
  return out;
}

/** talon keeps signatures in extract_from_plain; README §5 says to strip them from `expected` too. */
function talonInlineCases(): { cases: ReplyCase[]; skipped: string[] } {
  const data = readCorpusJson<{ text_quotations: TalonInline[]; html_quotations: TalonInline[] }>(
    'talon',
    'inline_cases.json',
  );
  const cases: ReplyCase[] = [];
  const skipped: string[] = [];
  for (const c of data.text_quotations) {
    if (c.upstream_patches) skipped.push(`talon/text_quotations/${c.id}`);
    else {
      const accepted = [norm(c.expected), norm(stripSignature(c.expected))];
      cases.push({
        set: 'talon/text_quotations',
        id: c.id,
        input: c.input,
        check: (r) => verdict(accepted.includes(norm(r))),
      });
    }
  }
  for (const c of data.html_quotations) {
    if (c.upstream_patches) skipped.push(`talon/html_quotations/${c.id}`);
    else {
      const want = c.expected_text_no_whitespace ?? '';
      cases.push({
        set: 'talon/html_quotations',
        id: c.id,
        input: htmlToText(c.input),
        check: (r) => verdict(noSpace(r) === want),
      });
    }
  }
  return { cases, skipped };
}

export async function buildReplyCases(): Promise<{ cases: ReplyCase[]; skipped: string[] }> {
  const inline = talonInlineCases();
  const cases = [
    ...erpCases('crisp'),
    ...erpCases('github'),
    ...erpCases('zapier'),
    ...(await talonFixtureCases()),
    ...inline.cases,
  ];
  return { cases, skipped: inline.skipped };
}

export interface SetScore {
  ok: number;
  total: number;
  failures: string[];
  /** Counted in `ok`, but only through a README tolerance. */
  tolerated: string[];
}

export type Extractor = (text: string) => string | Promise<string>;

/** Runs `extract` on every case; a case counts once, in its set. */
export async function scoreReplies(
  cases: readonly ReplyCase[],
  extract: Extractor,
): Promise<Record<string, SetScore>> {
  const sets: Record<string, SetScore> = {};
  for (const c of cases) {
    const start = performance.now();
    const reply = await extract(c.input);
    const ms = performance.now() - start;
    sets[c.set] ??= { ok: 0, total: 0, failures: [], tolerated: [] };
    const s = sets[c.set] as SetScore;
    const v = c.check(reply, ms);
    s.total++;
    if (v === 'fail') s.failures.push(c.id);
    else s.ok++;
    if (v === 'tolerated') s.tolerated.push(c.id);
  }
  return sets;
}
