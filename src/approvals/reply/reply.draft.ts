/**
 * The draft block of an approval reply: the text between the two marker lines, as the owner left
 * it. Clients put it in different places — quoted under "On … wrote:" (`> `, or `>> ` after a
 * second round), unquoted under Outlook's "From:/Sent:" block, or copied by the owner to the top
 * of the reply — so the markers are looked for in the whole text, and the first complete pair
 * wins: a copy the owner made sits above the quoted original.
 *
 * Inside the block, the quote prefix of the start marker's line is removed from each line (the
 * owner's own unquoted lines inside an inline edit are kept as they are). Whether the owner edited
 * is decided with every run of whitespace made one space, because clients re-wrap quoted text
 * (hard wraps at 72–78 characters, RFC 3676 format=flowed) and that is not an edit; the returned
 * text keeps the owner's line breaks. Typographic quotes count as plain ones for the same reason.
 * Pure; linear in the length of the text.
 */
import { DRAFT_END, DRAFT_START } from './reply.markers.ts';

export type DraftReading =
  | { status: 'none' | 'same' | 'empty'; text: null }
  | { status: 'edited'; text: string };

const PREFIX = /^[ \t]*((?:>[ \t]?)*)/;
const markerKey = (s: string): string => s.replace(/\s+/g, ' ').trim().toLowerCase();
const START_KEY = markerKey(DRAFT_START);
const END_KEY = markerKey(DRAFT_END);

/** How many `>` quote the line, and the line without them. */
function splitQuote(line: string): { depth: number; body: string } {
  const m = PREFIX.exec(line);
  const prefix = m?.[1] ?? '';
  return { depth: prefix.split('>').length - 1, body: line.slice(m?.[0].length ?? 0) };
}

/** The line with at most `depth` quote marks (each with one following space) removed. */
function unquote(line: string, depth: number): string {
  let rest = line;
  for (let i = 0; i < depth; i++) {
    const m = /^[ \t]*>[ \t]?/.exec(rest);
    if (!m) break;
    rest = rest.slice(m[0].length);
  }
  return rest;
}

function markerOf(line: string): 'start' | 'end' | null {
  if (line.length > 200) return null;
  const key = markerKey(splitQuote(line).body);
  return key === START_KEY ? 'start' : key === END_KEY ? 'end' : null;
}

/**
 * The text with every line that reads as a marker defused ("=====" → "-----"): a draft whose text
 * (model-written, from a hostile thread) contained a marker line could otherwise make a plain "yes"
 * approve only part of what was shown.
 */
export function neutralizeMarkers(text: string): string {
  return text
    .split('\n')
    .map((l) => (markerOf(l) === null ? l : l.replace(/=/g, '-')))
    .join('\n');
}

/** Lines of the first complete start…end pair (the last start before the first end after it). */
export function findDraftBlock(text: string): string[] | null {
  const lines = text.split(/\r?\n/);
  let start = -1;
  for (let i = 0; i < lines.length; i++) {
    const marker = markerOf(lines[i] ?? '');
    if (marker === 'start') start = i;
    else if (marker === 'end' && start >= 0) {
      const depth = splitQuote(lines[start] ?? '').depth;
      return lines.slice(start + 1, i).map((l) => unquote(l, depth).trimEnd());
    }
  }
  return null;
}

/** Whitespace runs as one space, typographic quotes plain: the form two drafts are compared in. */
export function comparable(text: string): string {
  return text
    .replace(/[\u2018\u2019\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u2033]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/** What the owner did with the draft block: nothing found, left it, emptied it, or edited it. */
export function readDraft(fullText: string, draft: string | null): DraftReading {
  if (draft === null) return { status: 'none', text: null };
  const block = findDraftBlock(fullText);
  if (block === null) return { status: 'none', text: null };
  const text = block
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (text === '') return { status: 'empty', text: null };
  if (comparable(text) === comparable(draft)) return { status: 'same', text: null };
  return { status: 'edited', text };
}

/**
 * Lines the owner typed unquoted inside a quoted draft block (an inline edit in Gmail or Apple
 * Mail). The reply extractor keeps them as "inline answers", but they are draft text, not a verdict.
 */
export function insertedDraftLines(fullText: string): Set<string> {
  const lines = fullText.split(/\r?\n/);
  const out = new Set<string>();
  let depth = -1;
  for (const line of lines) {
    const marker = markerOf(line);
    if (marker === 'start') depth = splitQuote(line).depth;
    else if (marker === 'end' && depth >= 0) return out;
    else if (depth > 0 && splitQuote(line).depth < depth && line.trim() !== '') out.add(line.trim());
  }
  return out;
}

/**
 * The reply's own text without any draft block in it (a copy the owner pasted at the top is the
 * draft, not their verdict) and without `inserted` lines. A start marker without an end marker
 * cuts to the end: the reply extractor may have taken the end away as a signature or quote.
 */
export function withoutDraftBlock(text: string, inserted: ReadonlySet<string> = new Set()): string {
  const out: string[] = [];
  let inside = false;
  for (const line of text.split(/\r?\n/)) {
    const marker = markerOf(line);
    if (marker === 'start') inside = true;
    else if (marker === 'end') inside = false;
    else if (!inside && !inserted.has(line.trim())) out.push(line);
  }
  return out.join('\n');
}
