/**
 * The one sentence that says how a reply was read. The owner sees it in the next email and the
 * journal keeps it, so it quotes the owner's own words ("read as YES: \"Go ahead\"") and names
 * what was left out and why, instead of a code. IBANs are masked: the sentence is shown in mail.
 * Pure.
 */
import { maskIban } from '../../skills/invoices/checks.iban.ts';
import type { DraftReading } from './reply.draft.ts';
import { FIELD_NAMES } from './reply.labels.ts';
import type { ApprovalAnswer, FieldCorrection } from './reply.model.ts';
import type { Verdict } from './reply.words.ts';

const quote = (s: string): string => {
  const one = s.replace(/\s+/g, ' ').trim();
  return `"${one.length > 80 ? `${one.slice(0, 77)}…` : one}"`;
};

function listCorrections(corrections: FieldCorrection[]): string {
  return corrections
    .map((c) => `${FIELD_NAMES[c.field]} ${c.field === 'iban' ? maskIban(String(c.value)) : c.value}`)
    .join(', ');
}

function verdictPart(
  v: Verdict,
  decision: ApprovalAnswer['decision'],
  draft: DraftReading,
  text: string,
): string {
  switch (v.kind) {
    case 'yes':
      return `read as YES: ${quote(v.yes[0] ?? '')}${draft.status === 'edited' ? ', with the edited draft' : ''}`;
    case 'no':
      return `read as NO: ${quote(v.no[0] ?? '')}${draft.status === 'edited' ? ' (the edited draft is not used)' : ''}`;
    case 'both':
      return `unclear: the reply says both yes (${quote(v.yes[0] ?? '')}) and no (${quote(v.no[0] ?? '')})`;
    case 'question':
      return `unclear: the reply asks a question (${quote(v.open ?? '')})`;
    case 'condition':
      return `unclear: the answer comes with a condition or a time (${quote(v.open ?? '')})`;
    case 'hedge':
      return `unclear: the reply hesitates (${quote(v.hedge[0] ?? '')})`;
    case 'none':
      if (decision === 'approve')
        return 'read as YES: the draft between the markers was edited, with no yes or no';
      return /[\p{L}\p{N}]/u.test(text)
        ? `unclear: no plain yes or no in ${quote(text)}`
        : 'unclear: no yes or no in the reply';
  }
}

/** The reason sentence for a rules reading. */
export function reasonOf(args: {
  verdict: Verdict;
  decision: ApprovalAnswer['decision'];
  draft: DraftReading;
  corrections: FieldCorrection[];
  problems: string[];
  decisive: string;
}): string {
  const { verdict, decision, draft, corrections, problems, decisive } = args;
  const parts = [verdictPart(verdict, decision, draft, decisive)];
  if (corrections.length > 0) {
    parts[0] =
      verdict.kind === 'none'
        ? `unclear: corrections (${listCorrections(corrections)}) but no yes or no, so they are applied and shown again`
        : `${parts[0]}, with corrections: ${listCorrections(corrections)}`;
  }
  if (draft.status === 'empty') parts.push('the draft between the markers was empty and is ignored');
  for (const p of problems) parts.push(`left out: ${p}`);
  return parts.join('; ');
}
