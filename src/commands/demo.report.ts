import type { Kysely, Selectable } from 'kysely';
import { DateTime } from 'luxon';
import type { Config } from '../config/config.ts';
import type { Database, OutboxTable, ProposalTable } from '../db/db.types.ts';
import { timeInZones, zoneLabel, zonesToShow } from '../skills/scheduling/meeting/meeting.text.ts';
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

interface MeetingProposalView {
  meetingId: string;
  action: 'offer' | 'ask';
  round?: number;
  delegated: boolean;
  draft?: DraftView;
}

/** METHOD, UID, SEQUENCE, DTSTART and DTEND of an iTIP object (lines unfolded, RFC 5545 §3.1). */
function readIcs(content: string) {
  const text = content.replace(/\r?\n[ \t]/g, '');
  const prop = (name: string) =>
    new RegExp(`^${name}(?:;[^:\\r\\n]*)?:(.*)$`, 'm').exec(text)?.[1]?.trim() ?? null;
  const instant = (v: string | null) => {
    const m = v ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v) : null;
    return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : null;
  };
  const sequence = prop('SEQUENCE');
  return {
    method: prop('METHOD'),
    uid: prop('UID'),
    sequence: sequence === null ? null : Number(sequence),
    start: instant(prop('DTSTART')),
    end: instant(prop('DTEND')),
  };
}

/** Renders what the demo did, from the database alone (the journal and the outbox are the truth). */
export async function renderDemoReport(
  db: Kysely<Database>,
  names: Map<string, string>,
  config: Config,
  opts: { json: boolean; demoNow?: Date },
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
      // Answers only: what ran on its own (a meeting offer the owner asked for) is told elsewhere.
      .where('message_id', 'is not', null)
      .orderBy('id')
      .execute()
  ).map((j) => ({
    action: j.action,
    reason: j.reason,
    for: names.get(String(j.message_id)) ?? String(j.message_id),
  }));
  const meetings = await meetingsOf(db, names, config, proposals, outbox);
  const wouldSend = outbox.map((o) => ({
    purpose: o.purpose,
    to: o.to_addresses,
    cc: o.cc_addresses,
    subject: o.subject,
    inReplyTo: o.in_reply_to,
    calendar: o.calendar ? { method: o.calendar.method, filename: o.calendar.filename } : null,
    status: o.status,
  }));
  const digestRow = await db
    .selectFrom('digests')
    .leftJoin('outbox', 'outbox.id', 'digests.outbox_id')
    .select(['digests.day', 'digests.skipped', 'outbox.subject', 'outbox.text_body'])
    .orderBy('digests.id', 'desc')
    .executeTakeFirst();
  const digestItems = digestRow
    ? await db
        .selectFrom('digest_items')
        .innerJoin('digests', 'digests.id', 'digest_items.digest_id')
        .select(['digest_items.number', 'digest_items.kind', 'digest_items.label'])
        .where('digests.day', '=', digestRow.day)
        .orderBy('digest_items.number')
        .execute()
    : [];
  const digest = digestRow
    ? {
        day: digestRow.day,
        skipped: digestRow.skipped,
        subject: digestRow.subject,
        items: digestItems,
        text: digestRow.text_body,
      }
    : null;
  if (opts.json)
    return `${JSON.stringify({ ...(opts.demoNow ? { now: opts.demoNow.toISOString() } : {}), messages: items, documents, payments, proposals: drafts, meetings, approvals, decisions: answers, rules: standing, digest, wouldSend, journalEntries: journal.length }, null, 2)}\n`;

  const out: string[] = [];
  out.push(
    `deskhand demo — assistant ${config.assistant.email} working for ${config.owner.name} <${config.owner.email}>`,
  );
  out.push('Shadow mode: embedded database in memory, nothing sent, nothing moved.');
  out.push(
    `Model: ${config.model ? `${config.model.model} at ${config.model.baseUrl}` : 'none configured — rules only, no network'}.${opts.demoNow ? '' : '\n'}`,
  );
  if (opts.demoNow)
    out.push(
      `Clock: ${DateTime.fromJSDate(opts.demoNow, { zone: config.owner.timeZone }).toFormat('cccc d LLLL yyyy, HH:mm')} ${zoneLabel(config.owner.timeZone)}, just after the sample mailbox's last message.\n`,
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
  out.push(meetings.length ? 'Meetings:' : 'Meetings: none.');
  for (const m of meetings) {
    out.push(`  ◷ ${m.summary}  [${m.status}, ${m.durationMinutes} min, for ${m.for}]`);
    out.push(
      `    With: ${m.attendees.map((a) => `${a.name ? `${a.name} <${a.email}>` : a.email} (${a.zoneLabel})`).join(', ')}; organizer ${m.organizer.name} <${m.organizer.email}> (${m.organizer.zoneLabel})`,
    );
    for (const o of m.mails) {
      out.push(
        `    ${o.action === 'offer' ? `Offer ${o.round ?? ''}`.trim() : 'Question about the dates'}: ${o.how}`,
      );
      out.push(
        `      To: ${o.to.join(', ')}${o.cc.length ? `  Cc: ${o.cc.join(', ')}` : ''}${o.messageId ? `  Message-ID: <${o.messageId}>` : ''}`,
      );
    }
    for (const slot of m.offered) out.push(`    ${slot.picked ? '▸' : ' '} ${slot.index}. ${slot.text}`);
    if (m.booked)
      out.push(
        `    Booked: option ${m.booked.option ?? '?'}${m.booked.chosenBy ? `, picked in ${m.booked.chosenBy}` : ''}${m.booked.evidence ? ` ("${m.booked.evidence}")` : ''}`,
      );
    for (const i of m.invites) {
      out.push(
        `    Invite: METHOD ${i.method} · UID ${i.uid} · SEQUENCE ${i.sequence} → ${[...i.to, ...i.cc].join(', ')}`,
      );
      if (i.when) out.push(`    │ ${i.when}`);
    }
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
  if (digest) {
    out.push(
      `Daily digest for ${digest.day}${digest.skipped ? ': skipped, nothing to say' : ` — "${digest.subject}"`}:`,
    );
    for (const l of (digest.text ?? '').trimEnd().split('\n')) out.push(`    │ ${l}`);
    out.push('');
  }
  out.push(wouldSend.length ? 'Would send:' : 'Would send: nothing.');
  for (const s of wouldSend)
    out.push(
      `  ✉ ${s.purpose} to ${s.to.join(', ')}: ${s.subject}${s.calendar ? `  [${s.calendar.method} ${s.calendar.filename}]` : ''}`,
    );
  const byCategory = new Map<string, number>();
  for (const it of items)
    byCategory.set(it.category ?? it.status, (byCategory.get(it.category ?? it.status) ?? 0) + 1);
  out.push('');
  out.push(
    `${items.length} messages: ${[...byCategory].map(([k, v]) => `${v} ${k}`).join(', ')}. ${journal.length} journal entries.`,
  );
  return `${out.join('\n')}\n`;
}

/**
 * The meetings the scheduling skill arranged: who and in which zones, the offer as its mail lists
 * the times, whether it went out on its own (the owner asked in the thread) or waits for the
 * owner's yes, the pick, and each invite as its calendar part says (METHOD, UID, SEQUENCE).
 */
async function meetingsOf(
  db: Kysely<Database>,
  names: Map<string, string>,
  config: Config,
  proposals: Selectable<ProposalTable>[],
  outbox: Selectable<OutboxTable>[],
) {
  const rows = await db.selectFrom('meetings').selectAll().orderBy('id').execute();
  if (rows.length === 0) return [];
  const journal = await db
    .selectFrom('journal')
    .select(['action', 'message_id', 'proposal_id', 'meeting_id', 'outbox_id', 'data'])
    .where((eb) =>
      eb.or([
        eb('meeting_id', 'is not', null),
        eb('action', 'in', ['approval_executed', 'approval_not_needed']),
      ]),
    )
    .orderBy('id')
    .execute();
  const nameOf = (id: string | null) => (id === null ? null : (names.get(String(id)) ?? String(id)));
  const ownerZone = config.owner.timeZone;
  return rows.map((row) => {
    const attendees = (row.attendees as Array<{ name?: string; email?: string; zone?: string }>).map((a) => ({
      name: a.name ?? '',
      email: a.email ?? '',
      zone: a.zone ?? ownerZone,
      zoneLabel: zoneLabel(a.zone ?? ownerZone),
    }));
    const zones = zonesToShow(
      attendees.map((a) => a.zone),
      ownerZone,
    );
    const organizer = row.organizer as { name?: string; email?: string };
    const mails = proposals
      .filter(
        (p) => p.kind === 'meeting' && String((p.payload as { meetingId?: unknown }).meetingId) === row.id,
      )
      .map((p) => {
        const pay = p.payload as unknown as MeetingProposalView;
        const executed = journal.find((j) => j.action === 'approval_executed' && j.proposal_id === p.id);
        const onItsOwn = journal.some((j) => j.action === 'approval_not_needed' && j.proposal_id === p.id);
        const sent = executed?.outbox_id ? outbox.find((o) => o.id === executed.outbox_id) : undefined;
        const how =
          p.status === 'executed'
            ? onItsOwn
              ? `sent on its own — ${config.owner.name} asked in the thread`
              : `sent after ${config.owner.name}'s yes`
            : p.status === 'awaiting_approval' || p.status === 'needs_input'
              ? `waiting for ${config.owner.name}'s approval`
              : p.status;
        return {
          action: pay.action,
          round: pay.round ?? null,
          status: p.status,
          delegated: pay.delegated === true,
          sentOnItsOwn: p.status === 'executed' && onItsOwn,
          waitsForApproval: p.status === 'awaiting_approval' || p.status === 'needs_input',
          how,
          to: sent?.to_addresses ?? pay.draft?.to.map((a) => a.address) ?? [],
          cc: sent?.cc_addresses ?? pay.draft?.cc.map((a) => a.address) ?? [],
          subject: sent?.subject ?? pay.draft?.subject ?? '',
          messageId: sent?.message_id ?? null,
          inReplyTo: sent?.in_reply_to ?? pay.draft?.inReplyTo ?? null,
        };
      });
    const start = row.start_at ? new Date(row.start_at) : null;
    const end = row.end_at ? new Date(row.end_at) : null;
    const offered = row.offered.map((x) => {
      const a = new Date(String(x['start']));
      const b = new Date(String(x['end']));
      return {
        index: Number(x['index']),
        start: a.toISOString(),
        end: b.toISOString(),
        // As the offer mail lists it: every participant's zone, the owner's last.
        text: timeInZones(a, b, zones),
        picked: row.status === 'booked' && start?.getTime() === a.getTime(),
      };
    });
    const bookedBy = journal.findLast(
      (j) => j.meeting_id === row.id && (j.action === 'meeting_booked' || j.action === 'meeting_rescheduled'),
    );
    const choice = journal.findLast(
      (j) =>
        j.meeting_id === row.id &&
        j.action === 'meeting_choice_read' &&
        j.message_id === bookedBy?.message_id,
    )?.data as { choice?: { evidence?: string } } | undefined;
    const booked =
      row.status === 'booked' && start && end
        ? {
            option: offered.find((o) => o.picked)?.index ?? null,
            start: start.toISOString(),
            end: end.toISOString(),
            when: timeInZones(start, end, zones),
            chosenBy: nameOf(bookedBy?.message_id ?? null),
            evidence: choice?.choice?.evidence ?? null,
          }
        : null;
    const inviteIds = new Set(
      journal.filter((j) => j.meeting_id === row.id && j.outbox_id).map((j) => j.outbox_id),
    );
    const invites = outbox
      .filter((o) => o.purpose === 'invite' && inviteIds.has(o.id) && o.calendar)
      .map((o) => {
        const ics = readIcs(o.calendar?.content ?? '');
        return {
          method: ics.method,
          uid: ics.uid,
          sequence: ics.sequence,
          start: ics.start?.toISOString() ?? null,
          end: ics.end?.toISOString() ?? null,
          when: ics.start && ics.end ? timeInZones(ics.start, ics.end, zones) : null,
          to: o.to_addresses,
          cc: o.cc_addresses,
          subject: o.subject,
          file: o.calendar?.filename ?? null,
          status: o.status,
        };
      });
    return {
      summary: row.summary,
      status: row.status,
      for: nameOf(String(row.source_message)),
      durationMinutes: row.duration_minutes,
      organizer: {
        name: organizer.name ?? '',
        email: organizer.email ?? '',
        zone: ownerZone,
        zoneLabel: zoneLabel(ownerZone),
      },
      attendees,
      zones: zones.map((z) => z.label),
      mails,
      offered,
      booked,
      invites,
    };
  });
}
