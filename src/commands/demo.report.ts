import type { Kysely } from 'kysely';
import type { Config } from '../config/config.ts';
import type { Database } from '../db/db.types.ts';
import type { TriageResult } from '../triage/triage.model.ts';

/** Renders what the demo did, from the database alone (the journal and the outbox are the truth). */
export async function renderDemoReport(
  db: Kysely<Database>,
  names: Map<string, string>,
  config: Config,
  opts: { json: boolean },
): Promise<string> {
  const messages = await db.selectFrom('messages').selectAll().orderBy('id').execute();
  const outbox = await db.selectFrom('outbox').selectAll().orderBy('id').execute();
  const journal = await db.selectFrom('journal').select(['action']).execute();
  const items = messages.map((m) => {
    const t = m.triage as TriageResult | null;
    return {
      file: names.get(m.id) ?? m.id,
      subject: m.subject,
      status: m.status,
      from: m.from_address,
      addressing: t?.addressing ?? null,
      category: t?.category ?? null,
      requester: t?.requester ?? null,
      automatic: t?.automatic ?? null,
      reasons: t?.reasons ?? (m.error ? [m.error] : []),
      forwardedFrom: t?.forwarded?.from?.address ?? null,
      wouldFileInto: m.target_folder,
    };
  });
  const wouldSend = outbox.map((o) => ({
    purpose: o.purpose,
    to: o.to_addresses,
    subject: o.subject,
    status: o.status,
  }));
  if (opts.json)
    return `${JSON.stringify({ messages: items, wouldSend, journalEntries: journal.length }, null, 2)}\n`;

  const out: string[] = [];
  out.push(
    `deskhand demo — assistant ${config.assistant.email} working for ${config.owner.name} <${config.owner.email}>`,
  );
  out.push(`Shadow mode: embedded database in memory, no network, nothing sent, nothing moved.\n`);
  for (const it of items) {
    out.push(`▸ ${it.file}  "${it.subject ?? ''}"`);
    if (it.status === 'quarantined') {
      out.push(`    quarantined: ${it.reasons.join('; ')}`);
    } else {
      out.push(
        `    ${it.addressing} · ${it.category} · from ${it.from} (${it.requester})${it.automatic ? ' · automatic mail: never answered' : ''}`,
      );
      if (it.forwardedFrom) out.push(`    unwrapped forward: originally from ${it.forwardedFrom}`);
      out.push(`    why: ${it.reasons.join('; ')}`);
    }
    if (it.wouldFileInto) out.push(`    would file into: ${it.wouldFileInto}`);
  }
  out.push('');
  out.push(wouldSend.length ? 'Would send:' : 'Would send: nothing.');
  for (const s of wouldSend) out.push(`  ✉ ${s.purpose} to ${s.to.join(', ')}: ${s.subject}`);
  const byCategory = new Map<string, number>();
  for (const it of items)
    byCategory.set(it.category ?? it.status, (byCategory.get(it.category ?? it.status) ?? 0) + 1);
  out.push('');
  out.push(
    `${items.length} messages: ${[...byCategory].map(([k, v]) => `${v} ${k}`).join(', ')}. ${journal.length} journal entries.`,
  );
  return `${out.join('\n')}\n`;
}
