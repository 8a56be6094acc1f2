import addressparser from 'nodemailer/lib/addressparser/index.js';
import type { Address } from '../ingest/message.model.ts';
import type { ShownReply } from './approval.model.ts';

/**
 * The reply draft as the owner sees and edits it between the markers: "To:" and "Cc:" lines, a
 * blank line, then the text. Reading it back gives the owner's recipients and text; comparing
 * it with what was shown says whether recipients or amounts changed (then a new round). Pure.
 */

/**
 * `Name <address>`; a name with RFC 5322 specials ("Dana <eve@evil.example>", "Lee, Dana") is
 * quoted, so after an edit it can never read as another address.
 */
const formatAddress = (a: Address): string => {
  if (!a.name) return a.address;
  const name = a.name.replace(/[\r\n]+/g, ' ');
  return /[()<>[\]:;@\\,."]/.test(name)
    ? `"${name.replace(/[\\"]/g, '')}" <${a.address}>`
    : `${name} <${a.address}>`;
};

export function draftBlock(r: Pick<ShownReply, 'to' | 'cc' | 'body'>): string {
  const lines = [`To: ${r.to.map(formatAddress).join(', ')}`];
  if (r.cc.length > 0) lines.push(`Cc: ${r.cc.map(formatAddress).join(', ')}`);
  return `${lines.join('\n')}\n\n${r.body.trim()}`;
}

export interface EditedDraft {
  /** null: the owner removed the line (the shown recipients stay). */
  to: Address[] | null;
  cc: Address[] | null;
  body: string;
  /** Recipient text that is not an e-mail address. */
  invalid: string[];
}

const HEADER = /^(to|cc|an|à|a|para)\s*:\s*(.*)$/i;

function addresses(value: string, invalid: string[]): Address[] {
  const out: Address[] = [];
  const flat = (list: ReturnType<typeof addressparser>): void => {
    for (const a of list) {
      if ('group' in a && a.group) flat(a.group);
      else if (a.address && /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(a.address))
        out.push({ name: a.name ?? '', address: a.address.toLowerCase() });
      else if ((a.name ?? a.address ?? '').trim()) invalid.push((a.name || a.address || '').trim());
    }
  };
  flat(addressparser(value));
  return out;
}

/** Reads an edited block: leading To:/Cc: lines (any order), then the text after the first blank line. */
export function parseDraftBlock(block: string): EditedDraft {
  const lines = block.replace(/\r\n?/g, '\n').split('\n');
  let to: Address[] | null = null;
  let cc: Address[] | null = null;
  const invalid: string[] = [];
  let i = 0;
  while (i < lines.length && (lines[i] ?? '').trim() === '') i++;
  for (; i < lines.length; i++) {
    const m = HEADER.exec((lines[i] ?? '').trim());
    if (!m) break;
    const list = addresses(m[2] ?? '', invalid);
    if ((m[1] ?? '').toLowerCase() === 'cc') cc = list;
    else to = list;
  }
  while (i < lines.length && (lines[i] ?? '').trim() === '') i++;
  return { to, cc, body: lines.slice(i).join('\n').trim(), invalid };
}

const key = (list: Address[]): string =>
  list
    .map((a) => a.address.toLowerCase())
    .sort()
    .join(',');

/** "To: dana@x → dana@x, eve@y": the recipient changes, one line per header. */
export function recipientChanges(before: Pick<ShownReply, 'to' | 'cc'>, after: EditedDraft): string[] {
  const out: string[] = [];
  const show = (l: Address[]) => l.map((a) => a.address).join(', ') || '(nobody)';
  if (after.to !== null && key(after.to) !== key(before.to))
    out.push(`To: ${show(before.to)} → ${show(after.to)}`);
  if (after.cc !== null && key(after.cc) !== key(before.cc))
    out.push(`Cc: ${show(before.cc)} → ${show(after.cc)}`);
  return out;
}

/** Money written in a text: "EUR 1,190.00", "€ 500", "1.200,00 €", "$80", "120.50 USD". */
const MONEY =
  /(?:[€$£¥]|\b(?:EUR|USD|GBP|CHF|JPY|SEK|NOK|DKK|PLN|CAD|AUD)\b)\s?\d[\d.,' ]*\d|\b\d[\d.,']*\s?(?:[€$£¥]|(?:EUR|USD|GBP|CHF|JPY|SEK|NOK|DKK|PLN|CAD|AUD)\b)|\b\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{2})?\b|\b\d+[.,]\d{2}\b/giu;

/** The amounts in a text, normalized to digits only ("EUR 1,190.00" → "119000"): order does not matter, the set does. */
export function amountsIn(text: string): string[] {
  return [...text.matchAll(MONEY)].map((m) => m[0].replace(/\D/g, '').replace(/^0+(?=\d)/, '')).sort();
}

/** "Amounts: 1,190.00 → 1,200.00" when the edited text names different amounts. */
export function amountChanges(before: string, after: string): string[] {
  const a = amountsIn(before);
  const b = amountsIn(after);
  if (a.join('|') === b.join('|')) return [];
  const fmt = (list: string[], text: string) =>
    [...text.matchAll(MONEY)].map((m) => m[0].trim()).join(', ') ||
    (list.length ? list.join(', ') : '(none)');
  return [`Amounts in the text: ${fmt(a, before)} → ${fmt(b, after)}`];
}
