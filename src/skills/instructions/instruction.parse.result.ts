import { StandingRule } from './instruction.model.ts';

/** What a sentence parser found: a rule, or why the sentence is a rule we cannot record. */
export type SentenceResult = { rule: StandingRule } | { reason: string };

/**
 * Checks a candidate against the stored schema, so the parser can never return a rule the
 * matchers would reject later (an auto-approval with no limit at all, a bad time, …).
 */
export function checked(candidate: StandingRule): SentenceResult {
  const parsed = StandingRule.safeParse(candidate);
  if (parsed.success) return { rule: parsed.data };
  const issue = parsed.error.issues[0];
  if (!issue) return { reason: 'the rule is incomplete' };
  return { reason: issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message };
}
