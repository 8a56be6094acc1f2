import type { Field } from './report.rows.ts';
import { listCounts, type ShadowSummary } from './shadow.summary.ts';

/** The terminal summary of a shadow run. Pure. */
export function summaryText(o: {
  source: string;
  owner: string;
  model: string;
  dkim: string;
  summary: ShadowSummary;
  run: Field[];
  report: string;
  interrupted: boolean;
}): string {
  const s = o.summary;
  const lines = [
    `deskhand shadow — ${o.source}`,
    `Working for ${o.owner}. Model: ${o.model}. Owner's mail: ${o.dkim}.`,
    s.notPending === 0
      ? `Nothing sent, nothing moved: all ${s.wouldSend.toLocaleString('en')} outbound messages stay unsent drafts.`
      : `WARNING: ${s.notPending} outbox rows are not pending — a shadow run must never send; please report this.`,
    '',
    ...o.run.map((f) => `${f.label}: ${f.value}`),
    '',
    `Messages: ${s.messages.toLocaleString('en')} — ${listCounts(s.byCategory)}${s.quarantined ? ` (${s.quarantined} quarantined)` : ''}`,
    `Documents: ${s.documents.toLocaleString('en')}${s.documents ? ` — ${listCounts(s.documentsByKind)}` : ''}`,
    `Proposals: ${s.proposals.toLocaleString('en')}${s.proposals ? ` — ${listCounts(s.proposalsByKind)}` : ''}`,
    `Would send: ${s.wouldSend.toLocaleString('en')}${s.wouldSend ? ` — ${listCounts(s.wouldSendByPurpose)}` : ''}`,
    `Flags: ${listCounts(s.flags)}`,
  ];
  if (s.sourceWarnings) lines.push(`Source warnings: ${s.sourceWarnings} (see ⚠ in the report)`);
  if (s.unfinished)
    lines.push(`Not processed to the end: ${s.unfinished} — run the same command again to retry them.`);
  lines.push('', `Report: ${o.report}`);
  if (o.interrupted) lines.push('Interrupted: run the same command again to continue where it stopped.');
  return `${lines.join('\n')}\n`;
}
