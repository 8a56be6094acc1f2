import { escapeRegExp } from '../../../ingest/forward.labels.ts';
import { zoneOffsetAt } from './understand.calendar.ts';
import type { ZoneSource } from './understand.model.ts';
import { plain, signatureLines } from './understand.text.ts';
import {
  ABBREVIATION_PATTERN,
  ABBREVIATIONS,
  OFFSET_CANDIDATES,
  PLACE_PATTERN,
  PLACES,
} from './understand.zone-names.ts';

/**
 * Clues to a person's time zone, strongest first: what they say ("I'm in New York", "I'm on
 * Pacific time", "2pm EST", "I'm CST"), what others say of them ("Dana is in Tokyo"), the city in
 * their signature ("Munich, Germany", "— Sent from Berlin"), and the offset in their Date header.
 * An offset is not a zone (-0500 is New York in winter and Chicago in summer, with different
 * daylight-saving dates): it is mapped to the likeliest zone only as a fallback, and the reason
 * says so. Pure.
 */

export interface ZoneClue {
  zone: string;
  source: Exclude<ZoneSource, 'owner'>;
  why: string;
}

const SELF =
  "(?:i'?m|i am|we'?re|we are|i'?ll be|i will be|i live|we live|(?:our|my) (?:office|team|hq|headquarters) is|here)";
const SELF_IN = new RegExp(
  `\\b${SELF}\\s+(?:currently\\s+|now\\s+|still\\s+|also\\s+|mostly\\s+|usually\\s+)?(?:based\\s+|located\\s+|living\\s+|sitting\\s+)?(?:in|out of|on)\\s+(?:the\\s+)?(${PLACE_PATTERN})(?![\\p{L}])`,
  'iu',
);
const SELF_ABBR = new RegExp(`\\b(?:i'?m|i am|we'?re|we are)\\s+(?:on\\s+)?(${ABBREVIATION_PATTERN})\\b`);
const ZONE_IS = new RegExp(
  `\\b(?:my|our) time ?zone is\\s+(?:the\\s+)?(${PLACE_PATTERN}|${ABBREVIATION_PATTERN})\\b`,
  'i',
);
const PLACE_TIME = new RegExp(`\\b(${PLACE_PATTERN}) time\\b`, 'i');
const ABBR_TOKEN = new RegExp(`(?<![A-Za-z])(${ABBREVIATION_PATTERN})(?![A-Za-z])`, 'g');
const YOUR_TIME = /^[\s)]*\(?\s*(?:your time|in your time ?zone|for you)/i;
const CLOCK_BEFORE = /\d\s*(?:[ap]\.?m\.?)?\s*$/i;

function zoneOfWord(word: string): string | null {
  const w = word.toLowerCase();
  return ABBREVIATIONS[w] ?? PLACES[w] ?? null;
}

/** What the writer says about their own zone in `text` (their new words only). */
export function statedZone(raw: string): ZoneClue | null {
  const text = plain(raw);
  for (const re of [SELF_IN, SELF_ABBR, ZONE_IS]) {
    const m = re.exec(text);
    const zone = m?.[1] === undefined ? null : zoneOfWord(m[1]);
    if (m && zone) return { zone, source: 'stated', why: `says "${m[0].trim()}"` };
  }
  const place = PLACE_TIME.exec(text);
  const placeZone = place?.[1] === undefined ? null : zoneOfWord(place[1]);
  if (place && placeZone && !YOUR_TIME.test(text.slice(place.index + place[0].length))) {
    return { zone: placeZone, source: 'stated', why: `writes times in "${place[0]}"` };
  }
  for (const m of text.matchAll(ABBR_TOKEN)) {
    const abbr = m[1] ?? '';
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 25);
    if (YOUR_TIME.test(after)) continue;
    // Two letters ("ET", "PT", "CT") are only a zone right after a clock time; "CT" is also Connecticut.
    if (abbr.length === 2 && !CLOCK_BEFORE.test(text.slice(0, m.index))) continue;
    const zone = zoneOfWord(abbr);
    if (zone) return { zone, source: 'stated', why: `writes times in ${abbr}` };
  }
  return null;
}

/** "Dana is in Tokyo", "Sam's based in London": a zone someone states for a person named `name`. */
export function zoneSaidOf(text: string, name: string): ZoneClue | null {
  if (name.length < 2) return null;
  const esc = escapeRegExp(name);
  const re = new RegExp(
    `\\b${esc}(?:'s| is| will be)\\s+(?:currently\\s+|now\\s+)?(?:based\\s+|located\\s+)?(?:in|on)\\s+(?:the\\s+)?(${PLACE_PATTERN})(?![\\p{L}])`,
    'iu',
  );
  const m = re.exec(plain(text));
  const zone = m?.[1] === undefined ? null : zoneOfWord(m[1]);
  return m && zone ? { zone, source: 'stated', why: `someone wrote "${m[0].trim()}"` } : null;
}

/** "You're in New York", "you are based in Berlin": a zone the writer states for the person addressed. */
export function zoneSaidToAddressee(text: string): ZoneClue | null {
  const re = new RegExp(
    `\\b(?:you'?re|you are|you'?ll be|you will be)\\s+(?:currently\\s+|now\\s+)?(?:based\\s+|located\\s+)?in\\s+(?:the\\s+)?(${PLACE_PATTERN})(?![\\p{L}])`,
    'iu',
  );
  const m = re.exec(plain(text));
  const zone = m?.[1] === undefined ? null : zoneOfWord(m[1]);
  return m && zone ? { zone, source: 'stated', why: `the writer said "${m[0].trim()}"` } : null;
}

/** A single place or zone named in the signature block of `fullText`; null when none or several. */
export function signatureZone(fullText: string): ZoneClue | null {
  const found = new Map<string, string>();
  for (const line of signatureLines(fullText)) {
    const bare = line.replace(/^[\s—–\-•*|]+/, '').trim();
    const sent = /^(?:sent|writing) from\s+(.+)$/i.exec(bare);
    const segments = sent ? [sent[1] ?? ''] : bare.split(/\s*[|,·•/]\s*|\s+[-–—]\s+/);
    for (const seg of segments) {
      const s = seg
        .trim()
        .replace(/[.]$/, '')
        .replace(/^(?:\d{4,6}\s+|based in\s+)/i, '')
        .replace(/\s+(?:office|hq|headquarters|campus|area)$/i, '');
      const zone = /^[A-Z]{3,5}$/.test(s)
        ? (ABBREVIATIONS[s.toLowerCase()] ?? null)
        : (PLACES[s.toLowerCase()] ?? null);
      if (zone) found.set(zone, s);
    }
  }
  if (found.size !== 1) return null;
  const [zone, place] = [...found.entries()][0] ?? ['', ''];
  return { zone, source: 'signature', why: `signature names ${place}` };
}

/** The offset of an RFC 5322 Date header in minutes (§3.3, obsolete zone names §4.3); null for "-0000" or none. */
export function offsetOfDateHeader(header: string | null | undefined): number | null {
  if (!header) return null;
  const m = /([+-])(\d{2})(\d{2})(?:\s*\([^)]*\))?\s*$/.exec(header.trim());
  if (m) {
    const minutes = Number(m[2]) * 60 + Number(m[3]);
    if (minutes === 0 && m[1] === '-') return null;
    return m[1] === '-' ? -minutes : minutes;
  }
  const obs: Record<string, number> = {
    UT: 0,
    GMT: 0,
    EST: -300,
    EDT: -240,
    CST: -360,
    CDT: -300,
    MST: -420,
    MDT: -360,
    PST: -480,
    PDT: -420,
  };
  const name = /\b(UT|GMT|[ECMP][SD]T)\s*$/.exec(header.trim())?.[1];
  return name === undefined ? null : (obs[name] ?? null);
}

/** The likeliest zone for a bare offset at the moment `at`, flagged as a guess. */
export function zoneOfOffset(offsetMinutes: number, at: Date): ZoneClue | null {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const written = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
  const zone = OFFSET_CANDIDATES.find((z) => zoneOffsetAt(z, at) === offsetMinutes);
  const fixed =
    abs % 60 === 0 && abs <= 12 * 60 ? `Etc/GMT${offsetMinutes <= 0 ? '+' : '-'}${abs / 60}` : null;
  const pick = zone ?? fixed;
  if (pick === null) return null;
  return {
    zone: pick,
    source: 'date-offset',
    why: `Date header offset ${written} is not a zone; ${zone ? `taken as ${pick}, the likeliest zone with that offset then` : `only the fixed offset ${pick} is known`}`,
  };
}
