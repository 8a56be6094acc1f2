import addressparser from 'nodemailer/lib/addressparser/index.js';
import type { HeaderField } from '../auth/header-fields.ts';
import { readHeaderFields } from '../auth/header-fields.ts';
import type { SenderAuthVerdict } from '../auth/sender-auth.ts';
import type { ApprovalRow, Db, DigestRow } from '../db/db.types.ts';
import type { StoredMessage } from '../skills/thread.ts';
import { assistantPlusTag, bareAddress, isAssistantAddress } from '../triage/address.ts';
import type { TriageResult } from '../triage/triage.model.ts';
import { roundsByMessageIds, roundsByTokens } from './approval.repository.ts';
import { TOKEN_PATTERN, TOKEN_PREFIX } from './reply/reply.markers.ts';

/**
 * Verifying an answer to an approval request (DESIGN.md safety model; RELIABILITY.md 9–14), in
 * order, each failure with a sentence for the owner:
 * 1. not automatic mail (an out-of-office "yes" is no answer, and gets none);
 * 2. From is the owner;
 * 3. aligned DKIM passes (trusted Authentication-Results, else our own check) unless
 *    APPROVAL_REQUIRE_AUTH=false;
 * 4. it names one round — read only from what the owner's signature covers: the signed
 *    In-Reply-To, To/Cc plus-address, References, or a token in the signed body. A header someone
 *    added on top of a genuine signed message is not read, so a replayed "yes" cannot be pointed
 *    at another request;
 * 5. it is addressed to the assistant (in To, not only Cc): a "yes" to someone else in a thread
 *    crafted to reference the request is not an answer to it;
 * 6. the round is still open and unexpired (the decision itself is a compare-and-set later).
 */

export type Verification =
  | { ok: true; round: ApprovalRow; verdict: SenderAuthVerdict; via: string }
  | {
      ok: false;
      code:
        | 'automatic'
        | 'not_owner'
        | 'unauthenticated'
        | 'no_reference'
        | 'not_addressed'
        | 'closed'
        | 'expired';
      reason: string;
      round: ApprovalRow | null;
      /** Whether the owner is told (never for automatic mail: RELIABILITY.md item 14). */
      tellOwner: boolean;
    };

export interface VerifyInput {
  raw: Buffer;
  parsed: StoredMessage;
  triage: TriageResult;
  ownerEmail: string;
  assistantEmail: string;
  now: Date;
  authenticate: (raw: Buffer) => Promise<SenderAuthVerdict>;
}

const ids = (value: string): string[] => [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);

function tagsIn(fields: HeaderField[], names: string[], assistant: string): string[] {
  const out: string[] = [];
  for (const f of fields) {
    if (!names.includes(f.name)) continue;
    const list =
      f.name === 'delivered-to' || f.name === 'x-original-to'
        ? [{ address: f.value }]
        : addressparser(f.value);
    for (const a of list) {
      const address = 'address' in a ? a.address : undefined;
      if (!address) continue;
      const tag = assistantPlusTag(address, assistant);
      if (tag?.startsWith(TOKEN_PREFIX)) out.push(tag.slice(TOKEN_PREFIX.length).toLowerCase());
    }
  }
  return out;
}

/** Whether a (signed) To field names the assistant, with or without a +detail. */
function addressedTo(fields: HeaderField[], assistant: string): boolean {
  for (const f of fields) {
    if (f.name !== 'to') continue;
    for (const a of addressparser(f.value)) {
      const address = 'address' in a ? a.address : undefined;
      if (address && isAssistantAddress(address, assistant)) return true;
    }
  }
  return false;
}

function bodyTokens(text: string): string[] {
  return [...text.slice(0, 200_000).matchAll(TOKEN_PATTERN)].map((m) => m[1]!.toLowerCase());
}

/** Candidate references, most specific first: In-Reply-To, the plus-address, References (newest first), body tokens. */
function references(
  fields: HeaderField[],
  body: string | null,
  assistant: string,
): Array<{ kind: 'id' | 'token'; value: string; via: string }> {
  const out: Array<{ kind: 'id' | 'token'; value: string; via: string }> = [];
  for (const f of fields.filter((x) => x.name === 'in-reply-to'))
    for (const id of ids(f.value)) out.push({ kind: 'id', value: id, via: 'In-Reply-To' });
  for (const t of tagsIn(fields, ['to', 'cc', 'delivered-to', 'x-original-to'], assistant))
    out.push({ kind: 'token', value: t, via: 'the plus-address' });
  for (const f of fields.filter((x) => x.name === 'references'))
    for (const id of ids(f.value).reverse()) out.push({ kind: 'id', value: id, via: 'References' });
  if (body !== null)
    for (const t of bodyTokens(body)) out.push({ kind: 'token', value: t, via: 'the quoted reference' });
  return out;
}

/**
 * The round the references name. A token found only in the body (quoted) counts only when the
 * message's own In-Reply-To/References (signed or not) also name that round's email: a token inside
 * someone else's quoted text — a colleague's mail quoting a forwarded request — is not an answer.
 */
async function findRound(
  db: Db,
  refs: ReturnType<typeof references>,
  headerIds: string[],
): Promise<{ row: ApprovalRow; via: string } | null> {
  if (refs.length === 0) return null;
  const byId = await roundsByMessageIds(
    db,
    refs.filter((r) => r.kind === 'id').map((r) => r.value),
  );
  const byToken = await roundsByTokens(
    db,
    refs.filter((r) => r.kind === 'token').map((r) => r.value),
  );
  for (const r of refs) {
    const row =
      r.kind === 'id'
        ? byId.find((x) => x.request_message_id === r.value || x.clarify_message_id === r.value)
        : byToken.find((x) => x.token === r.value);
    if (!row) continue;
    const quotedOnly = r.via === 'the quoted reference';
    const threaded = [row.request_message_id, row.clarify_message_id].some(
      (id) => id !== null && headerIds.includes(id),
    );
    if (quotedOnly && !threaded) continue;
    return { row, via: r.via };
  }
  return null;
}

type Failure = Exclude<Verification, { ok: true }>;
type FailCode = Failure['code'];

/**
 * Steps 1–5, shared by approval rounds and digests: automatic mail, the owner's From, the
 * signature, a reference read only from what the signature covers (`find`), addressed to us.
 */
async function verifyOwnerAnswer<T>(
  v: VerifyInput,
  find: (refs: ReturnType<typeof references>, headerIds: string[]) => Promise<{ row: T; via: string } | null>,
  what: string,
): Promise<
  | { ok: true; row: T; verdict: SenderAuthVerdict; via: string }
  | { ok: false; code: FailCode; reason: string; row: T | null; tellOwner: boolean }
> {
  const fail = (code: FailCode, reason: string, row: T | null = null, tellOwner = true) =>
    ({ ok: false, code, reason, row, tellOwner }) as const;

  if (v.triage.automatic || v.triage.ownMail)
    return fail(
      'automatic',
      'it is automatic mail (an auto-reply, a bounce or our own): not an answer',
      null,
      false,
    );
  const from = v.parsed.from?.address ? bareAddress(v.parsed.from.address) : '';
  if (from !== bareAddress(v.ownerEmail))
    return fail(
      'not_owner',
      `it came from ${from || 'an unknown sender'}, not from you — only you can approve`,
    );
  const verdict = await v.authenticate(v.raw);
  if (!verdict.authenticated)
    return fail('unauthenticated', `your sender address could not be verified: ${verdict.reason}`);

  // Signed content only, when a signature authenticated the owner; everything as is when checks are off.
  const rawFields = readHeaderFields(v.raw);
  const fields = verdict.signed ? verdict.signed.fields : rawFields;
  const body = verdict.signed && !verdict.signed.wholeBody ? null : v.parsed.text;
  const headerIds = rawFields
    .filter((f) => f.name === 'in-reply-to' || f.name === 'references')
    .flatMap((f) => ids(f.value));
  const found = await find(references(fields, body, v.assistantEmail), headerIds);
  if (!found) {
    const unsigned = verdict.signed
      ? ' in the part of the message your DKIM signature covers (In-Reply-To, To, References or the quoted request)'
      : '';
    return fail('no_reference', `it does not name ${what}${unsigned}`);
  }
  const { row, via } = found;
  // A "yes" the owner wrote to someone else, with the assistant only copied, answers that person:
  // a crafted thread must not turn it into an approval (the answer must be addressed to us).
  // Providers that do not sign To (Microsoft 365 signs From, Subject, Date…) are read as received.
  // (Then exactly one To field: a second one added on top would be the one a reader trusts.)
  const signedTo = fields.some((f) => f.name === 'to');
  const rawTo = rawFields.filter((f) => f.name === 'to');
  if (!signedTo && rawTo.length !== 1)
    return fail(
      'not_addressed',
      'its To header is missing or repeated, so I cannot tell who it answers',
      row,
    );
  if (!addressedTo(signedTo ? fields : rawTo, v.assistantEmail))
    return fail(
      'not_addressed',
      'it was not addressed to me (I was only copied), so it answers someone else',
      row,
    );
  return { ok: true, row, verdict, via };
}

export async function verifyApprovalReply(db: Db, v: VerifyInput): Promise<Verification> {
  const r = await verifyOwnerAnswer(
    v,
    (refs, headerIds) => findRound(db, refs, headerIds),
    'an approval request',
  );
  if (!r.ok) return { ok: false, code: r.code, reason: r.reason, round: r.row, tellOwner: r.tellOwner };
  const row = r.row;
  if (row.status !== 'open') {
    const when = row.decided_at
      ? ` on ${row.decided_at.toISOString().slice(0, 16).replace('T', ' ')} UTC`
      : '';
    return {
      ok: false,
      code: 'closed',
      reason: `that request was already ${row.status}${when}; nothing more was done`,
      round: row,
      tellOwner: true,
    };
  }
  if (row.expires_at <= v.now)
    return {
      ok: false,
      code: 'expired',
      reason: `that request expired on ${row.expires_at.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      round: row,
      tellOwner: true,
    };
  return { ok: true, round: row, verdict: r.verdict, via: r.via };
}

/** The digest the references name; a token quoted in the body counts only when the message is threaded to it. */
async function findDigest(
  db: Db,
  refs: ReturnType<typeof references>,
  headerIds: string[],
): Promise<{ row: DigestRow; via: string } | null> {
  const idsNamed = refs.filter((r) => r.kind === 'id').map((r) => r.value);
  const tokens = refs.filter((r) => r.kind === 'token').map((r) => r.value);
  if (idsNamed.length === 0 && tokens.length === 0) return null;
  const rows = await db
    .selectFrom('digests')
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(idsNamed.length ? [eb('message_id', 'in', idsNamed)] : []),
        ...(tokens.length ? [eb('token', 'in', tokens)] : []),
      ]),
    )
    .execute();
  for (const r of refs) {
    const row = rows.find((x) => (r.kind === 'id' ? x.message_id === r.value : x.token === r.value));
    if (!row) continue;
    if (r.via === 'the quoted reference' && !(row.message_id && headerIds.includes(row.message_id))) continue;
    return { row, via: r.via };
  }
  return null;
}

export type DigestVerification =
  | { ok: true; digest: DigestRow; verdict: SenderAuthVerdict; via: string }
  | { ok: false; code: FailCode; reason: string; digest: DigestRow | null; tellOwner: boolean };

/** The same checks for an answer to a daily digest ("approve 1 3, reject 2"). */
export async function verifyDigestReply(db: Db, v: VerifyInput): Promise<DigestVerification> {
  const r = await verifyOwnerAnswer(v, (refs, headerIds) => findDigest(db, refs, headerIds), 'a digest');
  return r.ok
    ? { ok: true, digest: r.row, verdict: r.verdict, via: r.via }
    : { ok: false, code: r.code, reason: r.reason, digest: r.row, tellOwner: r.tellOwner };
}
