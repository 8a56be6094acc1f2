import type { AutomaticSignals } from './message.model.ts';

/**
 * Machine-sent mail detection: bounces, auto-replies, lists and bulk mail.
 *
 * deskhand must never answer any of these (RELIABILITY.md item 16): answering a
 * bounce or an auto-reply is how two robots start a mail loop. Pure functions,
 * no I/O.
 */

/** The header we stamp on every message we send; mail carrying it is our own (a loop if answered). */
export { OWN_MAIL_HEADER as DESKHAND_ID_HEADER } from '../shared/headers.ts';

export type AutomaticKind = 'bounce' | 'auto_reply' | 'list' | 'bulk';

export interface AutomaticVerdict {
  automatic: boolean;
  kind: AutomaticKind | null;
  reason: string | null;
}

/**
 * Headers recorded as evidence in `AutomaticSignals.autoReplyHeaders` ("Name: value").
 * Besides the auto-reply headers proper, the model has no field for the other RFC 2369
 * list headers, Feedback-ID or the Exchange rule-loop stamp, so they are kept here too and
 * told apart by name in `isAutomatic`.
 */
const EVIDENCE_HEADERS = [
  'X-Autoreply',
  'X-Autorespond',
  'X-AutoReply-From',
  'X-Mail-Autoreply',
  'X-FC-MachineGenerated',
  'X-Auto-Response-Suppress',
  'X-MS-Exchange-Inbox-Rules-Loop',
  'Feedback-ID',
  'List-Post',
  'List-Help',
  'List-Subscribe',
  'List-Owner',
  'List-Archive',
] as const;

const AUTO_REPLY_HEADERS = new Set(['x-autoreply', 'x-autorespond', 'x-autoreply-from', 'x-mail-autoreply']);
const LIST_HEADERS = new Set(['list-post', 'list-help', 'list-subscribe', 'list-owner', 'list-archive']);

/**
 * Subject prefixes of out-of-office and auto-reply messages in the languages clients localize them to
 * (Exchange "Automatic reply:", German Outlook "Automatische Antwort:", Lotus Notes "Auto:", …).
 * A colon (or the end of the subject) is required so "Out of office next week, can you cover?" stays human.
 */
const AUTO_REPLY_SUBJECT =
  /^\s*(out of (the )?office( reply| autoreply| notice)?|ooo|automatic reply|auto[- ]?reply|auto[- ]?response|autoresponse|auto|abwesenheitsnotiz|abwesenheit|automatische antwort|r[ée]ponse automatique|absence du bureau|autosvar|automatisk svar|automatisch antwoord|afwezigheidsmelding|afwezig|respuesta autom[áa]tica|fuera de la oficina|risposta automatica|fuori sede|resposta autom[áa]tica|automaattinen vastaus|automatyczna odpowied[źz]|odpowied[źz] automatyczna)\s*(:|$)/i;

/** Subjects of non-delivery reports from MTAs that do not send RFC 3464 reports. */
const BOUNCE_SUBJECT =
  /^\s*(undeliverable|undelivered mail returned to sender|delivery status notification \((failure|delay)\)|mail delivery failed|mail delivery failure|delivery failure|returned mail|failure notice|unzustellbar|nicht zustellbar|non remis|non distribuable|onbestelbaar|no se puede entregar|non recapitabile)(?![a-z])/i;

/** Local parts that only mail systems use as a sender (RFC 5321 §4.5.1, RFC 3464). */
const MAIL_SYSTEM_LOCAL_PARTS = new Set(['mailer-daemon', 'mailer_daemon', 'mailerdaemon', 'postmaster']);

/**
 * Reads the automatic-mail facts from a message's headers.
 *
 * @param header returns the first value of a header by lower-case name, decoded, or null
 * @param contentType the top-level Content-Type value, parameters included
 */
export function readAutomaticSignals(
  header: (name: string) => string | null,
  contentType: string,
): AutomaticSignals {
  const returnPath = header('return-path');
  const { type, reportType } = parseContentType(contentType);
  const evidence: string[] = [];
  for (const name of EVIDENCE_HEADERS) {
    const value = header(name.toLowerCase());
    if (value !== null) evidence.push(`${name}: ${clip(value)}`);
  }
  const subject = header('subject');
  if (subject !== null && automaticSubjectKind(subject) !== null) evidence.push(`Subject: ${clip(subject)}`);
  // RFC 8098 read receipts and other reports are machine mail too, but not bounces.
  if (type === 'multipart/report' && reportType !== 'delivery-status') {
    evidence.push(`Content-Type: multipart/report; report-type=${reportType ?? 'unknown'}`);
  }
  return {
    autoSubmitted: lowerOrNull(header('auto-submitted')),
    precedence: lowerOrNull(header('precedence') ?? header('x-precedence')),
    listId: trimOrNull(header('list-id')),
    listUnsubscribe: header('list-unsubscribe') !== null,
    // RFC 3464 §2 / RFC 5321 §4.5.5: notifications are sent with a null reverse-path, which the
    // delivering MTA records as `Return-Path: <>`.
    returnPathEmpty: returnPath !== null && /^<\s*>$/.test(returnPath.trim()),
    isDeliveryReport: type === 'multipart/report' && reportType === 'delivery-status',
    autoReplyHeaders: evidence,
  };
}

/**
 * Decides whether mail was sent by a machine, and what kind. Ordered from the most specific signal
 * to the weakest; the first that fires gives the reason. Never throws.
 */
export function isAutomatic(s: AutomaticSignals): AutomaticVerdict {
  return bounce(s) ?? autoReply(s) ?? nullSender(s) ?? list(s) ?? bulk(s) ?? NOT_AUTOMATIC;
}

/** 'bounce' or 'auto_reply' when a subject is one machines write, else null. */
export function automaticSubjectKind(subject: string): 'bounce' | 'auto_reply' | null {
  if (BOUNCE_SUBJECT.test(subject)) return 'bounce';
  if (AUTO_REPLY_SUBJECT.test(subject)) return 'auto_reply';
  return null;
}

/** True for MAILER-DAEMON@… and postmaster@…: the senders of bounces. Needs the address, so triage calls it. */
export function isMailSystemSender(address: string): boolean {
  const at = address.lastIndexOf('@');
  const local = (at < 0 ? address : address.slice(0, at)).trim().toLowerCase();
  return MAIL_SYSTEM_LOCAL_PARTS.has(local);
}

const NOT_AUTOMATIC: AutomaticVerdict = { automatic: false, kind: null, reason: null };

function verdict(kind: AutomaticKind, reason: string): AutomaticVerdict {
  return { automatic: true, kind, reason };
}

function bounce(s: AutomaticSignals): AutomaticVerdict | null {
  if (s.isDeliveryReport)
    return verdict('bounce', 'multipart/report; report-type=delivery-status (RFC 3464)');
  const subject = evidenceValue(s, 'subject');
  if (subject !== null && automaticSubjectKind(subject) === 'bounce') {
    return verdict('bounce', `subject "${subject}" is a non-delivery report`);
  }
  return null;
}

function autoReply(s: AutomaticSignals): AutomaticVerdict | null {
  const submitted = autoSubmittedToken(s);
  if (submitted === 'auto-replied') return verdict('auto_reply', `Auto-Submitted: ${s.autoSubmitted}`);
  if (s.precedence === 'auto_reply' || s.precedence === 'auto-reply') {
    return verdict('auto_reply', `Precedence: ${s.precedence}`);
  }
  for (const line of s.autoReplyHeaders) {
    const name = line.slice(0, line.indexOf(':')).toLowerCase();
    if (AUTO_REPLY_HEADERS.has(name) && !/:\s*(no|false)\s*$/i.test(line)) return verdict('auto_reply', line);
    if (name === 'x-fc-machinegenerated' && /:\s*true\s*$/i.test(line)) return verdict('auto_reply', line);
    if (name === 'content-type') return verdict('auto_reply', `${line} (a report, e.g. a read receipt)`);
  }
  const subject = evidenceValue(s, 'subject');
  if (subject !== null) return verdict('auto_reply', `subject "${subject}" is an auto-reply`);
  // Exchange marks its out-of-office replies "auto-generated" plus X-Auto-Response-Suppress. The latter
  // alone proves nothing: Exchange and list servers add it to ordinary mail too.
  const suppress = evidenceValue(s, 'x-auto-response-suppress');
  if (submitted !== null && submitted !== 'no' && suppress !== null && !/^none$/i.test(suppress)) {
    return verdict(
      'auto_reply',
      `Auto-Submitted: ${s.autoSubmitted} with X-Auto-Response-Suppress: ${suppress}`,
    );
  }
  return null;
}

function nullSender(s: AutomaticSignals): AutomaticVerdict | null {
  return s.returnPathEmpty ? verdict('bounce', 'Return-Path is empty (<>): sent by a mail system') : null;
}

function list(s: AutomaticSignals): AutomaticVerdict | null {
  if (s.listId !== null) return verdict('list', `List-Id: ${s.listId} (RFC 2919)`);
  if (s.listUnsubscribe) return verdict('list', 'List-Unsubscribe header (RFC 2369)');
  const listHeader = s.autoReplyHeaders.find((l) =>
    LIST_HEADERS.has(l.slice(0, l.indexOf(':')).toLowerCase()),
  );
  if (listHeader !== undefined) return verdict('list', `${listHeader} (RFC 2369)`);
  if (s.precedence === 'list') return verdict('list', 'Precedence: list');
  return null;
}

function bulk(s: AutomaticSignals): AutomaticVerdict | null {
  if (s.precedence === 'bulk' || s.precedence === 'junk')
    return verdict('bulk', `Precedence: ${s.precedence}`);
  const submitted = autoSubmittedToken(s);
  // RFC 3834 §5: any value but "no" means automatic; auto-generated mail is not a reply to anyone.
  if (submitted !== null && submitted !== 'no') return verdict('bulk', `Auto-Submitted: ${s.autoSubmitted}`);
  const loop = evidenceValue(s, 'x-ms-exchange-inbox-rules-loop');
  if (loop !== null) {
    return verdict('bulk', `X-MS-Exchange-Inbox-Rules-Loop: ${loop} (passed on by an Exchange inbox rule)`);
  }
  const feedback = evidenceValue(s, 'feedback-id');
  if (feedback !== null)
    return verdict('bulk', `Feedback-ID: ${feedback} (sent through a mass-mailing service)`);
  return null;
}

/** The Auto-Submitted keyword without parameters ("auto-replied; owner-email=…" → "auto-replied"). */
function autoSubmittedToken(s: AutomaticSignals): string | null {
  if (s.autoSubmitted === null) return null;
  return (s.autoSubmitted.split(';')[0] ?? '').trim().toLowerCase();
}

function evidenceValue(s: AutomaticSignals, lowerName: string): string | null {
  for (const line of s.autoReplyHeaders) {
    const colon = line.indexOf(':');
    if (line.slice(0, colon).toLowerCase() === lowerName) return line.slice(colon + 1).trim();
  }
  return null;
}

function parseContentType(contentType: string): { type: string; reportType: string | null } {
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  const match = /;\s*report-type\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return { type, reportType: match?.[1]?.toLowerCase() ?? null };
}

function lowerOrNull(value: string | null): string | null {
  const trimmed = trimOrNull(value);
  return trimmed === null ? null : trimmed.toLowerCase();
}

function trimOrNull(value: string | null): string | null {
  if (value === null) return null;
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? null : trimmed;
}

function clip(value: string): string {
  const oneLine = value.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine;
}
