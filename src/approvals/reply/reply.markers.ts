/**
 * The lines that enclose the draft in an approval email. The owner edits the text between them
 * (in their reply, quoted or not); the reply reader takes what is between them as the new draft.
 * Plain ASCII so that every client quotes them unchanged, and unlikely in prose.
 */
export const DRAFT_START = '===== REPLY DRAFT: edit below this line =====';
export const DRAFT_END = '===== END OF REPLY DRAFT =====';

/** How the approval email names its token, e.g. "Approval reference: dh-a-3k9x…" (the body is DKIM-signed in replies that quote it). */
export const TOKEN_PREFIX = 'dh-a-';
export const TOKEN_PATTERN = /\bdh-a-([a-z0-9]{20,40})\b/g;
