import type { Config } from '../config/config.ts';
import { openMigrated, requireLive, type Stoppable, startWatchRole, startWorkerRole } from '../runtime.ts';
import { ConfigError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';

/** `start` (both roles), `worker` or `watch`: runs until SIGINT/SIGTERM, then stops cleanly. */
export async function liveCommand(
  config: Config,
  log: Logger,
  roles: { watch: boolean; work: boolean },
): Promise<number> {
  requireLive(config);
  if (roles.work && !config.smtp) requireSmtp();
  const handle = await openMigrated(config);
  const running: Stoppable[] = [];
  if (roles.work) running.push(await startWorkerRole({ config, log }, handle));
  if (roles.watch) running.push(await startWatchRole({ config, log }, handle));
  log.info({ roles }, 'deskhand running');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log.info('stopping');
  for (const r of running.reverse()) await r.stop();
  await handle.close();
  return 0;
}

function requireSmtp(): never {
  throw new ConfigError('SMTP_HOST: is not set — workers send notices and replies through it');
}
