import { DateTime } from 'luxon';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/db.types.ts';
import { formatMinutes, metricRows } from '../journal/metrics.format.ts';
import { computeMetrics } from '../journal/metrics.ts';
import type { BuildInput } from './digest.build.ts';

/**
 * The digest's numbers (the metrics since the last digest, docs/metrics.md) and the week's trend:
 * one line per day of the owner's last seven calendar days, oldest first.
 */
export function digestMetrics(db: Db, config: Config): NonNullable<BuildInput['metrics']> {
  const minutes = config.env.METRICS_MINUTES;
  return async (since, until) => {
    const m = await computeMetrics(db, { since, until, minutes });
    const numbers = metricRows(m)
      .filter(([label]) => !label.startsWith('  '))
      .map(([label, value]) => ({ label: label[0]!.toUpperCase() + label.slice(1), value }));
    const zone = config.owner.timeZone;
    const today = DateTime.fromJSDate(until, { zone }).startOf('day');
    const trend = [];
    for (let i = 7; i >= 1; i--) {
      const from = today.minus({ days: i });
      const d = await computeMetrics(db, {
        since: from.toJSDate(),
        until: from.plus({ days: 1 }).toJSDate(),
        minutes,
      });
      trend.push({
        text: `${from.toFormat('ccc d LLL')}: ${d.messages.handled} handled, ${d.messages.escalated} for you, ${formatMinutes(d.minutesSaved.total)} saved`,
      });
    }
    return { numbers, trend };
  };
}
