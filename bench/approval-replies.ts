/**
 * Runs every hand-written approval reply in test/fixtures/approval-replies through parseMessage
 * and readApprovalReply, as production sees them, and prints a markdown table (style | expected |
 * read as | ok?) followed by the misreads with the reader's reason. Exits 1 on any misread.
 * Run: `npx node bench/approval-replies.ts` (or `npx tsx bench/approval-replies.ts`).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ApprovalAnswer, readApprovalReply } from '../src/approvals/reply/reply.read.ts';
import { parseMessage } from '../src/ingest/parse.ts';

interface Expected {
  decision: ApprovalAnswer['decision'];
  editedDraft: string | null;
  corrections: Array<{ field: string; value: string | number }>;
}
interface Case {
  file: string;
  style: string;
  approval: 'reply' | 'payment';
  expected: Expected;
}
interface Cases {
  timeZone: string;
  approvals: Record<Case['approval'], { draft: string | null; acceptsCorrections: boolean }>;
  cases: Case[];
}

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'approval-replies');

function summary(a: Expected): string {
  const parts: string[] = [a.decision];
  if (a.editedDraft !== null) parts.push('edit');
  for (const c of a.corrections) parts.push(`${c.field} ${c.value}`);
  return parts.join(' + ');
}

function asExpected(a: ApprovalAnswer): Expected {
  return {
    decision: a.decision,
    editedDraft: a.editedDraft,
    corrections: a.corrections.map((c) => ({ field: c.field, value: c.value })),
  };
}

async function main(): Promise<void> {
  const spec = JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8')) as Cases;
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: spec.timeZone });
  const rows = ['| style | expected | read as | ok? |', '|---|---|---|---|'];
  const misreads: string[] = [];
  for (const c of spec.cases) {
    const msg = await parseMessage(readFileSync(join(DIR, c.file)));
    const approval = spec.approvals[c.approval];
    const answer = readApprovalReply({
      replyText: msg.replyText,
      fullText: msg.text,
      draft: approval.draft,
      acceptsCorrections: approval.acceptsCorrections,
      today: day.format(msg.date ?? new Date(0)),
    });
    const got = asExpected(answer);
    const ok = JSON.stringify(got) === JSON.stringify(c.expected);
    rows.push(`| ${c.style} | ${summary(c.expected)} | ${summary(got)} | ${ok ? 'ok' : 'MISREAD'} |`);
    if (!ok)
      misreads.push(`- ${c.file}: expected ${summary(c.expected)}, read ${summary(got)} (${answer.reason})`);
  }
  console.log(rows.join('\n'));
  console.log(`\n${spec.cases.length - misreads.length}/${spec.cases.length} read as expected.`);
  if (misreads.length > 0) {
    console.log(`\nMisreads:\n${misreads.join('\n')}`);
    process.exitCode = 1;
  }
  blind();
}

/**
 * A blind set: one-line answers written after the reader was built, never used to tune it.
 * `expected` lists what is acceptable ("unclear" is acceptable where a human would ask back too).
 * A misread that flips yes and no is counted apart from one that only asks back.
 */
const BLIND: Array<[string, Array<'approve' | 'reject' | 'unclear'>]> = [
  ['Sure thing!', ['approve']],
  ['Yep, send.', ['approve']],
  ['Please go ahead and pay it.', ['approve']],
  ["Don't send this yet.", ['reject', 'unclear']],
  ['Not this one.', ['reject']],
  ['Approved ✅', ['approve']],
  ['Nope', ['reject']],
  ['OK but change the greeting to Dear Dana', ['unclear']],
  ["Let's hold off until I talk to Bob", ['reject', 'unclear']],
  ['Yes please!\n\nMaya', ['approve']],
  ['👍🏼', ['approve']],
  ['Absolutely.', ['approve']],
  ['Cancel that', ['reject']],
  ['ja bitte', ['approve']],
  ['nein danke', ['reject']],
  ['Ok for me', ['approve']],
  ['Looks fine, send it.', ['approve']],
  ["I'd rather not", ['reject', 'unclear']],
  ['Can you wait until Monday?', ['unclear']],
  ['Yes to the payment but the amount is wrong', ['unclear']],
  ['Sí, adelante', ['approve']],
  ["D'accord", ['approve']],
  ['Pas maintenant', ['reject', 'unclear']],
  ['Ja, gerne', ['approve']],
  ['Go for it', ['approve']],
  ['No.', ['reject']],
  ['Please do not pay this', ['reject']],
  ['Who is this vendor?', ['unclear']],
  ['yes yes', ['approve']],
  ['Do it', ['approve']],
];

function blind(): void {
  let ok = 0;
  let flipped = 0;
  const misses: string[] = [];
  for (const [text, accept] of BLIND) {
    const a = readApprovalReply({
      replyText: text.replace(/\\n/g, '\n'),
      fullText: text.replace(/\\n/g, '\n'),
      draft: null,
      acceptsCorrections: true,
      today: '2026-11-23',
    });
    if (accept.includes(a.decision)) ok++;
    else {
      const flip = a.decision !== 'unclear' && accept.every((x) => x !== 'unclear' && x !== a.decision);
      if (flip) flipped++;
      misses.push(
        `- "${text}": read ${a.decision}${flip ? ' (FLIPPED)' : ''}, acceptable ${accept.join('/')} (${a.reason})`,
      );
    }
  }
  console.log(
    `\nBlind set (${BLIND.length} one-line answers, not used for tuning): ${ok}/${BLIND.length} acceptable, ${flipped} yes/no flipped.`,
  );
  if (misses.length) console.log(misses.join('\n'));
}

await main();
