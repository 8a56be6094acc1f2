import type { TriageResult } from './triage.model.ts';

/** The `triage --json` contract of DESIGN.md. */
export function triageToContractJson(t: TriageResult) {
  return {
    addressing: t.addressing,
    category: t.category,
    from: t.from,
    requester: t.requester,
    forwarded: t.forwarded
      ? {
          from: t.forwarded.from ? formatAddress(t.forwarded.from) : null,
          subject: t.forwarded.subject,
          date: t.forwarded.date,
          text: t.forwarded.text,
        }
      : null,
    replyText: t.replyText,
    automatic: t.automatic,
    reasons: t.reasons,
  };
}

function formatAddress(a: { name: string; address: string }): string {
  return a.name ? `${a.name} <${a.address}>` : a.address;
}
