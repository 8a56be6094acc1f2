import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeskhandError } from '../shared/errors.ts';

/** The output directory cannot be used: another run holds it, or it belongs to something else. */
export class OutDirError extends DeskhandError {
  constructor(message: string) {
    super('SHADOW_OUT_DIR', message);
    this.name = 'OutDirError';
  }
}

/** What the output directory says about the run it holds. */
interface ShadowStateFile {
  version: 1;
  /** The source's key (see OpenedSource.key): a run continues only over the same source. */
  source: string;
  createdAt: string;
}

export const STATE_FILE = 'shadow.json';
export const LOCK_FILE = 'shadow.lock';
export const REPORT_FILE = 'report.html';
/** openDatabase puts an embedded database in `${dataDir}/pglite`. */
const DB_DIR = 'pglite';

export interface OutDir {
  /** The run continues one stopped earlier (its database and position are kept). */
  resumed: boolean;
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One run per directory: an embedded database opened by two processes would be corrupted. */
async function lock(dir: string): Promise<() => Promise<void>> {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(file, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => rm(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (pid > 0 && pid !== process.pid && alive(pid))
        throw new OutDirError(`another shadow run (pid ${pid}) is using ${dir}; wait for it or pass --out`);
      await rm(file, { force: true }); // left by a run that died
    }
  }
  throw new OutDirError(`cannot lock ${dir}`);
}

/**
 * Prepares the output directory of a shadow run: locks it, starts over on `fresh` (removing only
 * what a shadow run writes there), and refuses a directory that holds another source's run or a
 * database that is not a shadow run's (e.g. the live DATA_DIR), so nothing real is ever written to.
 */
export async function prepareOutDir(
  dir: string,
  sourceKey: string,
  opts: { fresh: boolean },
): Promise<OutDir> {
  await mkdir(dir, { recursive: true });
  const unlock = await lock(dir);
  try {
    const stateFile = join(dir, STATE_FILE);
    // A database without a shadow run's state file is not ours (the live DATA_DIR, say): never
    // removed, not even with --fresh.
    if (!existsSync(stateFile) && existsSync(join(dir, DB_DIR)))
      throw new OutDirError(`${dir} holds a database that is not a shadow run's; choose another --out`);
    if (opts.fresh) {
      await rm(join(dir, DB_DIR), { recursive: true, force: true });
      await rm(join(dir, REPORT_FILE), { force: true });
      await rm(stateFile, { force: true });
    }
    const state = existsSync(stateFile)
      ? (JSON.parse(await readFile(stateFile, 'utf8')) as ShadowStateFile)
      : null;
    if (!state && existsSync(join(dir, DB_DIR)))
      throw new OutDirError(`${dir} holds a database that is not a shadow run's; choose another --out`);
    if (state && state.source !== sourceKey)
      throw new OutDirError(
        `${dir} holds the shadow run of ${state.source.replace(/^shadow:/, '')}; pass --fresh to start over, or --out for another directory`,
      );
    if (!state) {
      const fresh: ShadowStateFile = { version: 1, source: sourceKey, createdAt: new Date().toISOString() };
      await writeFile(stateFile, `${JSON.stringify(fresh, null, 2)}\n`);
    }
    return { resumed: state !== null, release: unlock };
  } catch (err) {
    await unlock();
    throw err;
  }
}
