import type { Kysely } from 'kysely';
import type { Config } from '../config/config.ts';
import type { Database } from '../db/db.types.ts';
import type { TriageResult } from '../triage/triage.model.ts';

const FLAG_ACTIONS = new Set(['injection_flagged', 'invisible_text_stripped', 'owner_unverified']);

interface DraftView {
  to: Array<{ name: string; address: string }>;
  cc: Array<{ name: string; address: string }>;
  subject: string;
  inReplyTo: string | null;
  method: string;
  body: string;
  warnings: string[];
}

interface PaymentView {
  risk: string;
  iban: string | null;
  exceptions: Array<string | { message: string }>;
  checks: Array<{ check: string; ok: boolean | null; message: string }>;
}

const fmt = (a: { name: string; address: string }) => (a.name ? `${a.name} <${a.address}>` : a.address);

/** Renders what the demo did, from the database alone (the journal and the outbox are the truth). */
export async function renderDemoReport(
  db: Kysely<Database>,
  names: Map<string, string>,
  config: Config,
  opts: { json: boolean },
): Promise<string> {
  const messages = await db.selectFrom('messages').selectAll().orderBy('id').execute();
  const outbox = await db.selectFrom('outbox').selectAll().orderBy('id').execute();
  const journal = await db
    .selectFrom('journal')
    .select(['action', 'message_id', 'reason'])
    .orderBy('id')
    .execute();
  const proposals = await db.selectFrom('proposals').selectAll().orderBy('id').execute();
  const rules = await db.selectFrom('standing_rules').selectAll().orderBy('id').execute();
  const flagsOf = (id: string) =>
    journal
      .filter((j) => j.message_id === id && FLAG_ACTIONS.has(j.action))
      .map((j) => ({ action: j.action, reason: j.reason }));
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
      flags: flagsOf(m.id),
    };
  });
  const payments = proposals
    .filter((p) => p.kind === 'payment')
    .map((p) => {
      const pay = p.payload as unknown as PaymentView;
      return {
        summary: p.summary,
        status: p.status,
        for: names.get(String(p.message_id)) ?? String(p.message_id),
        risk: pay.risk,
        iban: pay.iban,
        exceptions: pay.exceptions.map((e) => (typeof e === 'string' ? e : e.message)),
        checks: pay.checks.map((c) => ({ check: c.check, ok: c.ok, message: c.message })),
      };
    });
  const documents = (
    await db
      .selectFrom('documents')
      .select(['filename', 'kind', 'method', 'message_id'])
      .orderBy('id')
      .execute()
  ).map((d) => ({
    file: d.filename,
    kind: d.kind,
    method: d.method,
    for: names.get(String(d.message_id)) ?? String(d.message_id),
  }));
  const drafts = proposals
    .filter((p) => p.kind === 'reply_draft')
    .map((p) => {
      const d = (p.payload as { draft?: DraftView }).draft;
      return {
        summary: p.summary,
        status: p.status,
        for: names.get(String(p.message_id)) ?? String(p.message_id),
        to: d?.to.map(fmt) ?? [],
        cc: d?.cc.map(fmt) ?? [],
        subject: d?.subject ?? '',
        inReplyTo: d?.inReplyTo ?? null,
        method: d?.method ?? null,
        body: d?.body ?? '',
        warnings: d?.warnings ?? [],
      };
    });
  const standing = rules.map((r) => ({
    kind: r.kind,
    words: r.words,
    status: r.status,
    from: names.get(String(r.source_message)) ?? String(r.source_message),
  }));
  const approvals = (
    await db
      .selectFrom('approvals')
      .innerJoin('outbox', 'outbox.id', 'approvals.request_outbox_id')
      .select([
        'approvals.id',
        'approvals.round',
        'approvals.status',
        'approvals.level',
        'approvals.decision',
        'approvals.decided_by_message',
        'outbox.subject',
        'outbox.text_body',
        'outbox.extra_headers',
      ])
      .orderBy('approvals.id')
      .execute()
  ).map((a) => ({
    subject: a.subject,
    round: a.round,
    level: a.level,
    status: a.status,
    replyTo: (a.extra_headers as Record<string, string> | null)?.['Reply-To'] ?? null,
    firstLines: a.text_body
      .split('\n')
      .filter((l) => l.trim() !== '')
      .slice(0, 6),
    decidedBy: a.decided_by_message
      ? (names.get(String(a.decided_by_message)) ?? String(a.decided_by_message))
      : null,
    reading: (a.decision as { reason?: string } | null)?.reason ?? null,
  }));
  const answers = (
    await db
      .selectFrom('journal')
      .select(['action', 'reason', 'message_id'])
      .where('action', 'in', [
        'approval_refused',
        'approval_approved',
        'approval_rejected',
        'approval_changed',
        'approval_clarify',
        'approval_not_ready',
        'invoice_approved',
        'approval_executed',
      ])
      .orderBy('id')
      .execute()
  ).map((j) => ({
    action: j.action,
    reason: j.reason,
    for: names.get(String(j.message_id)) ?? String(j.message_id),
  }));
  const wouldSend = outbox.map((o) => ({
    purpose: o.purpose,
    to: o.to_addresses,
    subject: o.subject,
    status: o.status,
  }));
  if (opts.json)
    return `${JSON.stringify({ messages: items, documents, payments, proposals: drafts, approvals, decisions: answers, rules: standing, wouldSend, journalEntries: journal.length }, null, 2)}\n`;

  const out: string[] = [];
  out.push(
    `deskhand demo — assistant ${config.assistant.email} working for ${config.owner.name} <${config.owner.email}>`,
  );
  out.push('Shadow mode: embedded database in memory, nothing sent, nothing moved.');
  out.push(
    `Model: ${config.model ? `${config.model.model} at ${config.model.baseUrl}` : 'none configured — rules only, no network'}.\n`,
  );
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
    for (const f of it.flags) out.push(`    ⚠ ${f.action.replace(/_/g, ' ')}: ${f.reason}`);
    if (it.wouldFileInto) out.push(`    would file into: ${it.wouldFileInto}`);
  }
  out.push('');
  out.push(standing.length ? 'Standing rules from the owner:' : 'Standing rules: none.');
  for (const r of standing) out.push(`  • ${r.kind} (${r.status}) from ${r.from}: "${r.words}"`);
  out.push('');
  out.push(documents.length ? 'Documents read:' : 'Documents read: none.');
  for (const d of documents) out.push(`  ▤ ${d.file} (${d.kind}, ${d.method}) from ${d.for}`);
  out.push('');
  out.push(payments.length ? `Payments waiting for ${config.owner.name}'s approval:` : 'Payments: none.');
  for (const p of payments) {
    out.push(`  € ${p.summary}  [${p.status}, risk ${p.risk}, for ${p.for}]`);
    if (p.iban) out.push(`    pay to: ${p.iban}`);
    for (const c of p.checks)
      out.push(`    ${c.ok === true ? '✔' : c.ok === false ? '✘' : '?'} ${c.check}: ${c.message}`);
    for (const e of p.exceptions) out.push(`    ⚠ ${e}`);
  }
  out.push('');
  out.push(drafts.length ? `Drafts waiting for ${config.owner.name}'s approval:` : 'Drafts: none.');
  for (const d of drafts) {
    out.push(`  ✎ ${d.summary}  [${d.status}, ${d.method}, for ${d.for}]`);
    out.push(`    To: ${d.to.join(', ') || '(nobody yet)'}${d.cc.length ? `  Cc: ${d.cc.join(', ')}` : ''}`);
    out.push(`    Subject: ${d.subject}${d.inReplyTo ? `  (in reply to <${d.inReplyTo}>)` : ''}`);
    for (const line of d.body.split('\n')) out.push(`    │ ${line}`);
    for (const w of d.warnings) out.push(`    note: ${w}`);
  }
  out.push('');
  out.push(
    approvals.length
      ? `Approval emails to ${config.owner.name} (answer YES, NO, an edited draft, or corrections like "total: 1200.00"):`
      : 'Approval emails: none.',
  );
  for (const a of approvals) {
    out.push(`  ✉ ${a.subject}`);
    out.push(
      `    round ${a.round} · ${a.level === 'decision' ? 'flagged: needs a decision' : 'one "yes"'} · ${a.status}${a.decidedBy ? ` by ${a.decidedBy}` : ''}`,
    );
    if (a.replyTo) out.push(`    Reply-To: ${a.replyTo}`);
    for (const l of a.firstLines.slice(1, 5)) out.push(`    │ ${l}`);
    if (a.reading) out.push(`    answer read as: ${a.reading}`);
  }
  out.push('');
  out.push(answers.length ? "What the owner's answers led to:" : 'Decisions: none yet.');
  for (const d of answers) out.push(`  → ${d.action.replace(/_/g, ' ')} (${d.for}): ${d.reason}`);
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
