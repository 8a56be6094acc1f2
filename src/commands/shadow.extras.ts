import type { Kysely } from 'kysely';
import type { Config } from '../config/config.ts';
import type { Database } from '../db/db.types.ts';
import { previewDigest } from '../digest/digest.send.ts';
import { metricRows } from '../journal/metrics.format.ts';
import { computeMetrics } from '../journal/metrics.ts';
import type { Clock } from '../shared/clock.ts';
import type { ShadowReportExtras } from './shadow.html.ts';

/**
 * What a shadow run adds to its report: the digest it would have sent at the end of the run (built
 * from everything the run recorded; nothing is stored or sent), and the metrics (docs/metrics.md)
 * over the whole run, from its first stored message to now.
 */
export async function shadowExtras(ctx: {
  db: Kysely<Database>;
  config: Config;
  clock: Clock;
}): Promise<ShadowReportExtras> {
  const { rendered } = await previewDigest(ctx);
  const first = await ctx.db
    .selectFrom('messages')
    .select((eb) => eb.fn.min('received_at').as('at'))
    .executeTakeFirst();
  const until = new Date(ctx.clock.now().getTime() + 1000);
  const since = first?.at ? new Date(first.at as Date) : new Date(until.getTime() - 7 * 24 * 3_600_000);
  const m = await computeMetrics(ctx.db, { since, until, minutes: ctx.config.env.METRICS_MINUTES });
  return {
    digest: { subject: rendered.subject, text: rendered.text },
    metrics: metricRows(m).map(([label, value]) => ({ label: label.trim(), value })),
  };
}
