import { DateTime, IANAZone } from 'luxon';
import { findMentions, type Mention } from './choose.mentions.ts';
import {
  crossesClause,
  crossesSentence,
  findAffirmation,
  findAny,
  findDecline,
  looksLikeProposal,
  negated,
  sentenceAround,
} from './choose.phrases.ts';

/**
 * Reads which of the offered slots a participant picked in their reply: "option 2", "#3", a bare
 * "2", "the first one", "Tuesday at 2", "9am works", "any of them", "none of these — how about
 * Friday?". Days and clock times are read in the replier's own zone, because that is the clock
 * they looked at. A reply can only choose among the slots offered: the owner allowed those and a
 * third party must not widen the set, so a day or time outside it is a counter proposal (for the
 * understand step), never a choice. Negations only exclude ("I can't do Tuesday" picks nothing),
 * and anything matching several slots is ambiguous rather than guessed. Pure; never throws.
 */

export interface OfferedSlot {
  /** 1-based, as shown in the proposal. */
  index: number;
  start: Date;
  end: Date;
}

export interface ChoiceInput {
  /** The reply's new text only, quotes removed. */
  replyText: string;
  offered: OfferedSlot[];
  /** The replier's IANA zone. */
  replierZone: string;
  now: Date;
}

export type Choice =
  | { kind: 'chosen'; index: number; evidence: string }
  /** `text` is what they proposed instead, for the understand step. */
  | { kind: 'counter'; evidence: string; text: string }
  | { kind: 'declined_all'; evidence: string }
  /**
   * Several slots fit. When the reply only excluded slots ("I can't do Tuesday") the candidates
   * are what remains, possibly one: a negation never chooses.
   */
  | { kind: 'ambiguous'; candidates: number[]; evidence: string }
  | { kind: 'none'; reason: string };

const MAX_TEXT = 4000;
const MAX_SLOTS = 50;

/** A slot as the replier's clock shows it. */
interface Local {
  slot: OfferedSlot;
  weekday: number;
  year: number;
  month: number;
  day: number;
  startMin: number;
  endMin: number;
}

/** One thing the reply pointed at: a day with its times, an option number, or a time alone. */
interface Selector {
  start: number;
  end: number;
  negated: boolean;
  options: number[];
  weekdays: number[];
  dates: Array<Extract<Mention, { kind: 'date' }>>;
  times: Array<Extract<Mention, { kind: 'time' }>>;
  dayparts: Array<Extract<Mention, { kind: 'daypart' }>>;
}

const JOIN = /^\s*(?:,|\/|&|\band\b|\bor\b|,\s*(?:or|and)\b)?\s*(?:on\s+|the\s+)?$/i;
const ATTACHED = /^\.?[\s,]*(?:the\s+)?$/i;

export function readSlotChoice(input: ChoiceInput): Choice {
  try {
    return read(input);
  } catch (err) {
    return { kind: 'none', reason: `could not read the reply: ${String(err).slice(0, 200)}` };
  }
}

function read(input: ChoiceInput): Choice {
  const text = clean(input.replyText);
  const offered = (Array.isArray(input.offered) ? input.offered : [])
    .filter((s) => s && Number.isInteger(s.index) && isDate(s.start) && isDate(s.end))
    .slice(0, MAX_SLOTS);
  if (offered.length === 0) return { kind: 'none', reason: 'no slots were offered' };
  if (!text) return { kind: 'none', reason: 'the reply is empty' };

  const zone =
    typeof input.replierZone === 'string' && IANAZone.isValidZone(input.replierZone)
      ? input.replierZone
      : null;
  const now = isDate(input.now) ? input.now : new Date(0);
  const views = new Map<string, Local[]>();
  const viewOf = (slot: OfferedSlot, z: string | null): Local | null => {
    if (!z) return null;
    let list = views.get(z);
    if (!list) {
      list = offered.map((s) => local(s, z));
      views.set(z, list);
    }
    return list.find((l) => l.slot === slot) ?? null;
  };
  const byStart = [...offered].sort((a, b) => a.start.getTime() - b.start.getTime());

  const decline = findDecline(text);
  let mentions = findMentions(text, zone, now);
  if (!zone) mentions = mentions.filter((m) => m.kind === 'option');

  if (decline) {
    const rest = (text.slice(0, decline.start) + text.slice(decline.end))
      .replace(/^[\s,.;:!—–-]+/, '')
      .trim();
    const proposes =
      looksLikeProposal(rest) || mentions.some((m) => m.start >= decline.end || m.end <= decline.start);
    return proposes && rest
      ? { kind: 'counter', evidence: decline.text, text: rest }
      : { kind: 'declined_all', evidence: decline.text };
  }

  const selectors = selectorsOf(text, mentions);
  const maxIndex = Math.max(...offered.map((s) => s.index));
  const matches = (sel: Selector): OfferedSlot[] =>
    offered.filter((slot) => {
      // A time written with its zone ("14:00 Berlin", copied from the proposal) is read there.
      const stated = sel.times.find((t) => t.zone !== null)?.zone ?? null;
      return fits(sel, slot, viewOf(slot, stated ?? zone), maxIndex);
    });

  const excluded = new Set<number>();
  const chosen = new Set<number>();
  const unmatched: Selector[] = [];
  const unknownOptions: number[] = [];
  const positives: Selector[] = [];
  for (const sel of selectors) {
    const hit = matches(sel);
    if (sel.negated) {
      for (const s of hit) excluded.add(s.index);
      continue;
    }
    positives.push(sel);
    if (hit.length > 0) for (const s of hit) chosen.add(s.index);
    else if (sel.options.length > 0 && sel.weekdays.length + sel.dates.length === 0)
      unknownOptions.push(...sel.options);
    else unmatched.push(sel);
  }
  const evidenceOf = (sels: Selector[]): string =>
    sels.map((s) => text.slice(s.start, s.end).trim()).join('; ');
  const exclusions = selectors.filter((s) => s.negated);

  const any = findAny(text);
  if (any) {
    const pool = (chosen.size > 0 ? byStart.filter((s) => chosen.has(s.index)) : byStart).filter(
      (s) => !excluded.has(s.index),
    );
    const pick = pool[0];
    if (!pick) return { kind: 'declined_all', evidence: `${any.text}; ${evidenceOf(exclusions)}` };
    return {
      kind: 'chosen',
      index: pick.index,
      evidence: `"${any.text}": the earliest offered slot that fits (option ${pick.index})`,
    };
  }

  const picked = offered.filter((s) => chosen.has(s.index) && !excluded.has(s.index));
  const pickedEvidence = evidenceOf(positives.filter((s) => matches(s).length > 0));
  if (picked.length === 1 && picked[0]) {
    return { kind: 'chosen', index: picked[0].index, evidence: pickedEvidence };
  }
  if (picked.length > 1) {
    return { kind: 'ambiguous', candidates: picked.map((s) => s.index), evidence: pickedEvidence };
  }
  if (unmatched.length > 0) {
    const sentences = [...new Set(unmatched.map((s) => sentenceAround(text, s.start, s.end)))];
    return { kind: 'counter', evidence: evidenceOf(unmatched), text: sentences.join(' ') };
  }
  if (chosen.size > 0) {
    return { kind: 'none', reason: `the reply both picks and excludes: ${evidenceOf(selectors)}` };
  }
  if (exclusions.length > 0) {
    const remaining = offered.filter((s) => !excluded.has(s.index)).map((s) => s.index);
    const evidence = evidenceOf(exclusions);
    if (remaining.length === 0) return { kind: 'declined_all', evidence };
    return { kind: 'ambiguous', candidates: remaining, evidence: `excluded only: ${evidence}` };
  }
  if (unknownOptions.length > 0) {
    return { kind: 'none', reason: `option ${unknownOptions.join(', ')} was not offered` };
  }
  const yes = findAffirmation(text);
  if (yes) {
    if (offered.length === 1 && offered[0]) {
      return { kind: 'chosen', index: offered[0].index, evidence: yes.text };
    }
    return { kind: 'ambiguous', candidates: offered.map((s) => s.index), evidence: yes.text };
  }
  if (looksLikeProposal(text)) return { kind: 'counter', evidence: text.slice(0, 200), text };
  return {
    kind: 'none',
    reason: zone
      ? 'no option, day or time in the reply'
      : 'no option number, and the replier zone is unknown',
  };
}

function clean(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  let text = raw.slice(0, MAX_TEXT).replace(/[’‘]/g, "'");
  const sig = /^-- ?$/m.exec(text);
  if (sig) text = text.slice(0, sig.index);
  return text.trim();
}

function isDate(d: unknown): d is Date {
  return d instanceof Date && !Number.isNaN(d.getTime());
}

function local(slot: OfferedSlot, zone: string): Local {
  const s = DateTime.fromJSDate(slot.start, { zone });
  const e = DateTime.fromJSDate(slot.end, { zone });
  const startMin = s.hour * 60 + s.minute;
  const days = e.startOf('day').diff(s.startOf('day'), 'days').days;
  return {
    slot,
    weekday: s.weekday,
    year: s.year,
    month: s.month,
    day: s.day,
    startMin,
    endMin: e.hour * 60 + e.minute + Math.round(days) * 1440,
  };
}

function fits(sel: Selector, slot: OfferedSlot, l: Local | null, maxIndex: number): boolean {
  if (sel.options.length > 0) {
    const want = sel.options.map((o) => (o === Number.POSITIVE_INFINITY ? maxIndex : o));
    if (!want.includes(slot.index)) return false;
  }
  const needsClock = sel.weekdays.length + sel.dates.length + sel.times.length + sel.dayparts.length;
  if (needsClock === 0) return true;
  if (!l) return false;
  if (sel.weekdays.length > 0 && !sel.weekdays.includes(l.weekday)) return false;
  if (
    sel.dates.length > 0 &&
    !sel.dates.some(
      (d) =>
        d.day === l.day &&
        (d.month === null || d.month === l.month) &&
        (d.year === null || d.year === l.year),
    )
  )
    return false;
  if (
    sel.times.length > 0 &&
    !sel.times.some((t) =>
      t.minutes.some((m) => {
        if (t.rel === 'within') return l.startMin >= (t.minutes[0] ?? 0) && l.endMin <= (t.minutes[1] ?? 0);
        if (t.rel === 'after') return l.startMin >= m;
        if (t.rel === 'before') return l.endMin <= m;
        if (t.rel === 'around') return Math.abs(l.startMin - m) <= 30;
        return l.startMin === m;
      }),
    )
  )
    return false;
  if (sel.dayparts.length > 0 && !sel.dayparts.some((p) => l.startMin >= p.from && l.startMin < p.to))
    return false;
  return true;
}

function empty(start: number, end: number): Selector {
  return { start, end, negated: false, options: [], weekdays: [], dates: [], times: [], dayparts: [] };
}

/**
 * Groups mentions into selectors: "Tuesday or Wednesday" is one day group, "Tue 24 Mar" one day
 * (the date decides), and a time belongs to the day before it in the same sentence ("Thursday is
 * better but only after 4"), or after it in the same clause ("at 2 on Tuesday"), else stands alone.
 */
function selectorsOf(text: string, mentions: Mention[]): Selector[] {
  const days = mentions.filter((m) => m.kind === 'weekday' || m.kind === 'date');
  const attached = new Set<Mention>();
  for (let i = 0; i < days.length; i++) {
    const m = days[i];
    const next = days[i + 1];
    if (m?.kind === 'weekday' && next?.kind === 'date' && ATTACHED.test(text.slice(m.end, next.start)))
      attached.add(m);
  }

  const groups: Selector[] = [];
  for (const m of days) {
    if (attached.has(m)) continue;
    const last = groups.at(-1);
    const joins = last !== undefined && JOIN.test(text.slice(last.end, m.start));
    const target = joins ? last : empty(m.start, m.end);
    if (!joins) groups.push(target);
    target.end = Math.max(target.end, m.end);
    if (m.kind === 'weekday') target.weekdays.push(m.day);
    else if (m.kind === 'date') target.dates.push(m);
  }
  for (const g of groups) g.negated = negated(text, g.start, g.end);

  const selectors: Selector[] = [...groups];
  for (const m of mentions) {
    if (m.kind === 'option') {
      const sel = empty(m.start, m.end);
      sel.options.push(m.index);
      sel.negated = negated(text, m.start, m.end);
      selectors.push(sel);
      continue;
    }
    if (m.kind !== 'time' && m.kind !== 'daypart') continue;
    const before = groups
      .filter(
        (g) =>
          g.start <= m.start &&
          !crossesSentence(text, g.end, m.start) &&
          (!g.negated || !crossesClause(text, g.end, m.start)),
      )
      .at(-1);
    const after = groups.find((g) => g.start >= m.end && !crossesClause(text, m.end, g.start));
    const owner = before ?? after;
    const sel = owner ?? empty(m.start, m.end);
    if (!owner) {
      sel.negated = negated(text, m.start, m.end);
      selectors.push(sel);
    } else {
      sel.start = Math.min(sel.start, m.start);
      sel.end = Math.max(sel.end, m.end);
    }
    if (m.kind === 'time') sel.times.push(m);
    else sel.dayparts.push(m);
  }
  return selectors.sort((a, b) => a.start - b.start);
}
