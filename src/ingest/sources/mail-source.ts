import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** One raw message from a file-based source (demo, shadow, triage). */
export interface SourceMessage {
  /** Where it came from, for reports: a file name. */
  name: string;
  raw: Buffer;
}

/**
 * Reads raw messages from a single .eml file, a directory of .eml files (sorted by name),
 * or a Maildir (cur/ and new/). Streams: one file in memory at a time.
 */
export async function* readMailSource(path: string): AsyncGenerator<SourceMessage> {
  const st = await stat(path);
  if (st.isFile()) {
    yield { name: basename(path), raw: await readFile(path) };
    return;
  }
  const entries = await readdir(path);
  const isMaildir = entries.includes('cur') && entries.includes('new');
  const dirs = isMaildir ? [join(path, 'cur'), join(path, 'new')] : [path];
  for (const dir of dirs) {
    const files = (await readdir(dir)).filter((f) => !f.startsWith('.')).sort();
    for (const f of files) {
      if (!isMaildir && !f.endsWith('.eml')) continue;
      const full = join(dir, f);
      if ((await stat(full)).isFile()) yield { name: f, raw: await readFile(full) };
    }
  }
}
