import type { MinutesAction, MinutesSaved } from '../config/config.schema.ts';

export type { MinutesAction, MinutesSaved };

/** The shape of the metrics (docs/metrics.md has the definitions; metrics.queries.ts, the SQL). */

export interface MoneyCaught {
  /** ISO 4217, or null when the invoice's currency could not be read. Never summed across currencies. */
  currency: string | null;
  /** Sum of the flagged invoices' totals in this currency (totals that could not be read count 0). */
  amount: number;
  invoices: number;
  /** Of these: flagged as a duplicate / with changed bank details (an invoice can be both). */
  duplicate: number;
  bankChanged: number;
  /** Of these: the owner said no / still waiting (not approved, not paid). */
  rejected: number;
  open: number;
}

export interface Metrics {
  /** The window, ISO 8601: [since, until). */
  since: string;
  until: string;
  messages: {
    /** Arrived in the window and processed; not our own mail, not an answer to our approval requests. */
    handled: number;
    /** Arrived in the window and set aside unprocessed (the owner was told). */
    quarantined: number;
    /** Handled messages that needed the owner (ESCALATION_ACTIONS). */
    escalated: number;
  };
  /** escalated / handled; null when nothing was handled. */
  escalationRate: number | null;
  /** From arrival (`received_at`) to done, over the handled messages that are done. */
  cycleTime: { done: number; open: number; medianSeconds: number | null; p90Seconds: number | null };
  approvals: {
    /** Approval rounds the owner decided in the window (approved, rejected, or changed into a new round). */
    decided: number;
    approved: number;
    rejected: number;
    /** Closed by an answer that changed recipients or amounts, or was unsure: a new round followed. */
    changed: number;
    /** Decided rounds whose answer edited the draft or corrected a field. */
    corrected: number;
    /** Proposals executed in the window without any round (the owner's standing rule, a delegated meeting offer). */
    automatic: number;
  };
  /** corrected / decided; null when no round was decided. */
  correctionRate: number | null;
  minutesSaved: { total: number; byAction: Record<MinutesAction, { count: number; minutes: number }> };
  /** Flagged invoices (duplicate or changed bank details) received in the window and not approved. */
  moneyCaught: MoneyCaught[];
  model: {
    /** Requests to the model server (each retry counts); cache hits are `cached`. */
    calls: number;
    cached: number;
    /** Requests that did not end `ok` (timeouts, HTTP errors, invalid answers…). */
    failed: number;
    promptTokens: number;
    completionTokens: number;
    /** Sum of the known costs (USD); a lower bound when `unpricedCalls` > 0. */
    costUsd: number;
    /** Requests that got an answer (tokens were billed) for a model whose price is unknown. */
    unpricedCalls: number;
  };
}
