/**
 * What an invoice check reports, and the knobs the checks share. A check never throws and never
 * guesses: `ok: null` means it could not be checked, and `message` says why. Pure.
 */

export type CheckSeverity = 'info' | 'warn' | 'high';

export interface CheckResult {
  /** Stable id, e.g. "duplicate.number", "bank.changed"; the journal and approvals key on it. */
  check: string;
  /** true: passed; false: failed (see severity); null: could not be checked (message says why). */
  ok: boolean | null;
  severity: CheckSeverity;
  /** One sentence with the numbers in it, fit to show the owner. */
  message: string;
  data?: Record<string, unknown>;
}

export type Risk = 'low' | 'high';

/** Tunables for the checks; every field has a default in `DEFAULT_CHECK_SETTINGS`. */
export interface CheckSettings {
  /** Same vendor and total within this many days counts as a possible duplicate. Default 7. */
  duplicateWindowDays: number;
  /** A PO amount matches within this percentage of the PO amount… Default 2. */
  poTolerancePercent: number;
  /** …or within this absolute amount, whichever is larger. Default 1.00. */
  poToleranceAbsolute: number;
  /** An amount more than this many times the vendor's median (or less than its inverse) is unusual. Default 3. */
  outlierFactor: number;
  /** Earlier invoices needed before the outlier check speaks. Default 3. */
  outlierMinHistory: number;
  /** An issue date this many days after today is "in the future" (covers time zones). Default 1. */
  futureSlackDays: number;
}

export const DEFAULT_CHECK_SETTINGS: Readonly<CheckSettings> = Object.freeze({
  duplicateWindowDays: 7,
  poTolerancePercent: 2,
  poToleranceAbsolute: 1,
  outlierFactor: 3,
  outlierMinHistory: 3,
  futureSlackDays: 1,
});

/** High risk when any high-severity check failed; anything else is left to the approval policy. */
export function riskOf(checks: CheckResult[]): Risk {
  return checks.some((c) => c.ok === false && c.severity === 'high') ? 'high' : 'low';
}

/** Small constructors so each check reads as its rule. */
export const pass = (check: string, message: string, data?: Record<string, unknown>): CheckResult => ({
  check,
  ok: true,
  severity: 'info',
  message,
  ...(data ? { data } : {}),
});

export const fail = (
  check: string,
  severity: CheckSeverity,
  message: string,
  data?: Record<string, unknown>,
): CheckResult => ({ check, ok: false, severity, message, ...(data ? { data } : {}) });

export const unchecked = (check: string, why: string, data?: Record<string, unknown>): CheckResult => ({
  check,
  ok: null,
  severity: 'info',
  message: why,
  ...(data ? { data } : {}),
});
