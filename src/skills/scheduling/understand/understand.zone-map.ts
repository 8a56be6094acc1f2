import type { Address } from '../../../ingest/message.model.ts';
import type { PersonZone, SchedulingMessage, ZoneSource } from './understand.model.ts';
import { namesOf } from './understand.people.ts';
import { newTextOf } from './understand.text.ts';
import {
  offsetOfDateHeader,
  signatureZone,
  statedZone,
  type ZoneClue,
  zoneOfOffset,
  zoneSaidOf,
  zoneSaidToAddressee,
} from './understand.zones.ts';

/**
 * One zone per person from the clues of every message: their own statement, then what others
 * wrote of them, then their signature, then their Date header's offset, then the owner's zone.
 * The newest clue of a kind wins (people travel). The owner's configured zone outranks anything
 * but the owner's own statement ("I'm in Tokyo this week"). Pure.
 */

const RANK: Record<ZoneSource, number> = { stated: 0, signature: 1, 'date-offset': 2, owner: 3 };

export interface ZoneMap {
  zones: Record<string, PersonZone>;
  reasons: string[];
}

export function zonesOfPeople(
  thread: readonly SchedulingMessage[],
  people: readonly Address[],
  owner: { email: string; zone: string },
): ZoneMap {
  const clues = new Map<string, ZoneClue>();
  const offer = (address: string, clue: ZoneClue | null) => {
    if (clue === null) return;
    const known = clues.get(address);
    if (!known || RANK[clue.source] <= RANK[known.source]) clues.set(address, clue);
  };
  const ownerKey = owner.email.toLowerCase();
  for (const m of thread) {
    const from = m.from?.address.toLowerCase();
    const text = newTextOf(m);
    for (const p of people) {
      if (p.address === from) continue;
      for (const n of namesOf(p)) offer(p.address, zoneSaidOf(text, n));
    }
    if (from === undefined) continue;
    // "You're in New York" to the one person addressed (besides the owner): that person's zone.
    const addressed = m.to
      .map((a) => a.address.toLowerCase())
      .filter((a) => a !== from && a !== ownerKey && people.some((p) => p.address === a));
    if (addressed.length === 1) offer(addressed[0]!, zoneSaidToAddressee(text));
    offer(from, statedZone(text));
    if (from === ownerKey) continue;
    offer(from, signatureZone(m.text));
    const offset = offsetOfDateHeader(m.dateHeader);
    if (offset !== null && m.date !== null) offer(from, zoneOfOffset(offset, m.date));
  }
  const zones: Record<string, PersonZone> = {};
  const reasons: string[] = [];
  for (const address of new Set([ownerKey, ...people.map((p) => p.address)])) {
    const clue = clues.get(address);
    const usable = clue && (address !== ownerKey || clue.source === 'stated') ? clue : null;
    zones[address] = usable
      ? { zone: usable.zone, source: usable.source }
      : { zone: owner.zone, source: 'owner' };
    reasons.push(
      usable
        ? `zone of ${address}: ${usable.zone} (${usable.why})`
        : `zone of ${address}: ${owner.zone} (${address === ownerKey ? "the owner's setting" : "nothing known: the owner's zone"})`,
    );
  }
  return { zones, reasons };
}
