import { busyFromIcs } from './ics-busy.ts';
import type { IcsFetchResult } from './ics-fetch.ts';
import { feedName } from './ics-fetch-errors.ts';
import type { Interval, TimeRange } from './interval.ts';

/**
 * Busy time across all the owner's calendar feeds: each fetched (through the injected
 * `fetchIcs`, usually `fetchIcs` from ics-fetch.ts bound to its options) and read within the
 * range. One dead or broken feed never hides the others; it is named in `unknown`, so a proposal
 * can say which calendar could not be checked.
 */

export interface CalendarBusy {
  /** Every feed's busy time, sorted by start (not merged). */
  busy: Interval[];
  /** One line per problem, each naming its feed by host only. */
  warnings: string[];
  /** Feeds (by host) whose busy time is unknown or partly unknown in the range. */
  unknown: string[];
}

export async function busyFromCalendars(input: {
  urls: readonly string[];
  range: TimeRange;
  /** The owner's IANA zone. */
  zone: string;
  fetchIcs: (url: string) => Promise<IcsFetchResult>;
}): Promise<CalendarBusy> {
  const results = await Promise.all(input.urls.map((url) => input.fetchIcs(url)));
  const out: CalendarBusy = { busy: [], warnings: [], unknown: [] };
  results.forEach((got, i) => {
    const feed = feedName(input.urls[i]!);
    if (!got.ok) {
      out.warnings.push(got.error.message);
      out.unknown.push(feed);
      return;
    }
    if (got.warning) out.warnings.push(got.warning);
    const read = busyFromIcs(got.text, input.range, { zone: input.zone });
    out.busy.push(...read.busy);
    out.warnings.push(...read.warnings.map((w) => `${feed}: ${w}`));
    if (!read.complete) out.unknown.push(feed);
  });
  out.busy.sort((a, b) => a.start.getTime() - b.start.getTime());
  return out;
}
