import { formatMoney } from '../skills/invoices/money.ts';
import type { Metrics } from './metrics.model.ts';

/** Metrics in words, for the terminal (`deskhand status`) and the digest. Pure. */

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h"; "—" for null. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** "25% (1/4)"; "—" when there is nothing to divide. */
export function formatRate(rate: number | null, part: number, whole: number): string {
  if (rate === null) return '—';
  return `${Math.round(rate * 100)}% (${part}/${whole})`;
}

/** "95 min" or "5 h 10 min" for larger totals. */
export function formatMinutes(minutes: number): string {
  const m = Math.round(minutes);
  return m < 60 ? `${m} min` : formatDuration(m * 60);
}

/** One entry per currency, never added up across currencies: "EUR 1,190.00 (1 invoice) · USD 50.00 (1 invoice)". */
export function formatMoneyCaught(m: Metrics['moneyCaught']): string {
  if (m.length === 0) return '—';
  return m
    .map(
      (c) =>
        `${c.currency ? formatMoney(c.amount, c.currency) : `${c.amount.toFixed(2)} (currency unknown)`} (${c.invoices} invoice${c.invoices === 1 ? '' : 's'})`,
    )
    .join(' · ');
}

export function formatModel(m: Metrics['model']): string {
  const cost = `$${m.costUsd < 1 && m.costUsd > 0 ? m.costUsd.toFixed(4) : m.costUsd.toFixed(2)}`;
  const extra = [
    m.failed ? `${m.failed} failed` : '',
    m.cached ? `${m.cached} cached` : '',
    m.unpricedCalls ? `${m.unpricedCalls} unpriced` : '',
  ].filter(Boolean);
  return `${m.calls} / ${cost}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

/** Label and value rows of one window's metrics. */
export function metricRows(m: Metrics): Array<[string, string]> {
  return [
    ['messages handled', String(m.messages.handled)],
    ['  quarantined', String(m.messages.quarantined)],
    ['minutes saved', formatMinutes(m.minutesSaved.total)],
    ['cycle time, median', formatDuration(m.cycleTime.medianSeconds)],
    ['cycle time, p90', formatDuration(m.cycleTime.p90Seconds)],
    ['  still open', String(m.cycleTime.open)],
    ['escalation rate', formatRate(m.escalationRate, m.messages.escalated, m.messages.handled)],
    ['correction rate', formatRate(m.correctionRate, m.approvals.corrected, m.approvals.decided)],
    ['approved on their own', String(m.approvals.automatic)],
    ['money caught', formatMoneyCaught(m.moneyCaught)],
    ['model calls / cost', formatModel(m.model)],
  ];
}

/** Windows side by side: a label column, then one column per window. */
export function metricsTable(columns: Array<{ title: string; metrics: Metrics }>): string[] {
  const rows = columns.map((c) => metricRows(c.metrics));
  const labels = rows[0]?.map(([l]) => l) ?? [];
  const widths = columns.map((c, i) => Math.max(c.title.length, ...(rows[i] ?? []).map(([, v]) => v.length)));
  const lw = Math.max(...labels.map((l) => l.length));
  const line = (label: string, cells: string[]) =>
    `${label.padEnd(lw)}  ${cells.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd();
  return [
    line(
      '',
      columns.map((c) => c.title),
    ),
    ...labels.map((l, r) =>
      line(
        l,
        rows.map((cells) => cells[r]?.[1] ?? ''),
      ),
    ),
  ];
}
