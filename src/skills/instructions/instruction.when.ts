import type { Weekday } from './instruction.model.ts';

/**
 * Weekdays and clock times as owners write them in a meeting instruction ("Fridays",
 * "weekends", "freitags", "10am", "9:30", "17 Uhr", "noon"). Pure.
 */

const DAY_WORDS: Array<[RegExp, Weekday[]]> = [
  [/^(?:mon(?:day)?s?|montags?)$/, ['mon']],
  [/^(?:tue(?:s(?:day)?)?s?|dienstags?)$/, ['tue']],
  [/^(?:wed(?:nesday)?s?|mittwochs?)$/, ['wed']],
  [/^(?:thu(?:rs?(?:day)?)?s?|donnerstags?)$/, ['thu']],
  [/^(?:fri(?:day)?s?|freitags?)$/, ['fri']],
  [/^(?:sat(?:urday)?s?|samstags?|sonnabends?)$/, ['sat']],
  [/^(?:sun(?:day)?s?|sonntags?)$/, ['sun']],
  [/^(?:weekends?|wochenenden?)$/, ['sat', 'sun']],
];

// Two-letter German abbreviations ("Mo", "Do", "So") are English words: only long forms count.
const DAY_TOKEN =
  /\b(?:mon(?:day)?s?|tue(?:s(?:day)?)?s?|wed(?:nesday)?s?|thu(?:rs?(?:day)?)?s?|fri(?:day)?s?|sat(?:urday)?s?|sun(?:day)?s?|weekends?|montags?|dienstags?|mittwochs?|donnerstags?|freitags?|samstags?|sonnabends?|sonntags?|wochenenden?)\b/giu;

/** The weekday a word names ("Fridays" → fri, "weekend" → sat, sun); null for other words. */
export function weekdaysOf(word: string): Weekday[] | null {
  const w = word.toLowerCase().replace(/\.$/, '');
  for (const [re, days] of DAY_WORDS) if (re.test(w)) return days;
  return null;
}

/** Every weekday named in `text`, in week order, each once. */
export function weekdaysIn(text: string): Weekday[] {
  const found = new Set<Weekday>();
  for (const m of text.matchAll(DAY_TOKEN)) for (const d of weekdaysOf(m[0]) ?? []) found.add(d);
  const order: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  return order.filter((d) => found.has(d));
}

/** A regex source for one clock time ("10am", "9:30", "17 Uhr", "noon"). */
export const TIME = `(?:noon|midday|mittag|\\d{1,2}(?:[:.h]\\d{2})?\\s*(?:a\\.?m\\.?|p\\.?m\\.?|uhr|h)?)`;

/** `HH:MM` for a clock time as written; null when it is not one. */
export function parseClock(raw: string): string | null {
  const t = raw.trim().toLowerCase();
  if (/^(?:noon|midday|mittag)$/.test(t)) return '12:00';
  const m = /^(\d{1,2})(?:[:.h](\d{2}))?\s*(a\.?m\.?|p\.?m\.?|uhr|h)?$/.exec(t);
  if (!m?.[1]) return null;
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const suffix = m[3]?.replace(/\./g, '');
  if (minute > 59) return null;
  if (suffix === 'am' || suffix === 'pm') {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (suffix === 'pm' ? 12 : 0);
  } else if (hour > 23) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** Minutes since midnight of an `HH:MM` string. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}
