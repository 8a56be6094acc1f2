import type { ExtractedDocument } from '../../extract/extract.model.ts';
import { type CheckResult, fail, pass, unchecked } from './checks.model.ts';
import { daysBetween, isIsoDate } from './iso-date.ts';

/**
 * Date sanity: due on or after issue; issued no later than tomorrow (time zones); already due →
 * said plainly so the owner can pay first what is late. `today` is the caller's clock. Pure.
 */
export function dateChecks(doc: ExtractedDocument, today: string, futureSlackDays: number): CheckResult[] {
  const issue = isIsoDate(doc.issueDate) ? doc.issueDate : null;
  const due = isIsoDate(doc.dueDate) ? doc.dueDate : null;
  const out: CheckResult[] = [];

  if (!issue || !due) {
    out.push(unchecked('dates.order', `The ${issue ? 'due' : 'issue'} date could not be read.`));
  } else if (due < issue) {
    out.push(
      fail('dates.order', 'warn', `The due date ${due} is before the issue date ${issue}.`, { issue, due }),
    );
  } else {
    out.push(pass('dates.order', `Due ${due}, ${daysBetween(issue, due)} days after issue.`, { issue, due }));
  }

  if (!issue) {
    out.push(unchecked('dates.issue_not_future', 'The issue date could not be read.'));
  } else if (daysBetween(today, issue) > futureSlackDays) {
    out.push(
      fail(
        'dates.issue_not_future',
        'warn',
        `The issue date ${issue} is in the future (today is ${today}).`,
        {
          issue,
          today,
        },
      ),
    );
  } else {
    out.push(pass('dates.issue_not_future', `Issued ${issue}.`));
  }

  if (!due) {
    out.push(unchecked('dates.overdue', 'No due date to compare with today.'));
  } else if (due < today) {
    out.push(
      fail(
        'dates.overdue',
        'info',
        `Already due: the due date ${due} passed ${daysBetween(due, today)} day(s) ago.`,
        {
          due,
          today,
        },
      ),
    );
  } else {
    out.push(pass('dates.overdue', `Not yet due (${daysBetween(today, due)} day(s) left).`, { due, today }));
  }
  return out;
}
