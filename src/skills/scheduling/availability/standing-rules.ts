import { meetingAllowed } from '../../instructions/instruction.match.ts';
import type { RuleEntry } from '../../instructions/instruction.model.ts';

/**
 * The owner's standing instructions ("no meetings on Fridays", "nothing before 10:00") as the
 * `allowed` veto `freeSlots` takes. The rules are matched by `meetingAllowed`, the same matcher
 * that checks a meeting someone else proposes, so a slot we offer and a time we accept obey one
 * reading of the rules. Pure; throws RangeError on an unknown zone, as `meetingAllowed` does.
 */
export function allowedByRules(rules: RuleEntry[], zone: string): (start: Date, end: Date) => boolean {
  return (start, end) => meetingAllowed(rules, start, end, zone).allowed;
}
