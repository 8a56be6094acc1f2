import type { Clock } from '../../../shared/clock.ts';

/**
 * Where fetched calendar feeds are kept between look-ups: a proposal checks availability several
 * times in a minute, and a feed that is briefly down should not make the owner look free. The
 * interface is ours so a shared store can replace the in-memory one; `fetchIcs` decides what age
 * is fresh and what age is still usable when the feed cannot be reached.
 */
export interface IcsCache {
  /** The text stored for `url` and how old it is, or undefined. */
  get(url: string): { text: string; ageMs: number } | undefined;
  set(url: string, text: string): void;
}

/**
 * An in-memory cache of at most `maxEntries` feeds (default 32), the least recently stored
 * dropped first, entries older than `maxAgeMs` (default 24 h) forgotten.
 */
export function memoryIcsCache(opts: { clock: Clock; maxEntries?: number; maxAgeMs?: number }): IcsCache {
  const maxEntries = opts.maxEntries ?? 32;
  const maxAgeMs = opts.maxAgeMs ?? 24 * 3_600_000;
  const entries = new Map<string, { text: string; storedAt: number }>();
  return {
    get(url) {
      const e = entries.get(url);
      if (!e) return undefined;
      const ageMs = opts.clock.now().getTime() - e.storedAt;
      if (ageMs > maxAgeMs) {
        entries.delete(url);
        return undefined;
      }
      return { text: e.text, ageMs };
    },
    set(url, text) {
      entries.delete(url);
      entries.set(url, { text, storedAt: opts.clock.now().getTime() });
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
    },
  };
}
