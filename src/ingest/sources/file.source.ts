import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { describeError } from '../../shared/errors.ts';
import { sha256Hex } from '../../shared/ids.ts';
import { type MboxMessage, MboxSplitter } from './mbox.split.ts';
import { type OpenedSource, type PositionedMessage, SourceError } from './source.model.ts';

/** Of a message over the limit, this much is kept: its header block, for the report. */
const HEAD_BYTES = 64 * 1024;

function unreadable(spec: string, err: unknown): SourceError {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file or directory'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : describeError(err);
  return new SourceError(`cannot read ${spec}: ${why}`, err);
}

/** SHA-256 of a file, streamed. */
async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** One .eml file; over `maxBytes`, only its head is read (and the whole file hashed, streamed). */
async function readEml(
  path: string,
  name: string,
  position: number,
  maxBytes: number,
): Promise<PositionedMessage> {
  const size = (await stat(path)).size;
  if (size <= maxBytes) {
    const raw = await readFile(path);
    return {
      name,
      position,
      raw,
      size: raw.length,
      sha256: sha256Hex(raw),
      oversize: false,
      warning: null,
      internalDate: null,
      fraction: null,
    };
  }
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(HEAD_BYTES, size));
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return {
      name,
      position,
      raw: head.subarray(0, bytesRead),
      size,
      sha256: await hashFile(path),
      oversize: true,
      warning: null,
      internalDate: null,
      fraction: null,
    };
  } finally {
    await fh.close();
  }
}

/** A fixed list of .eml files (a directory, a Maildir, a single file). */
function fileList(
  kind: 'eml' | 'directory' | 'maildir',
  root: string,
  files: Array<{ path: string; name: string }>,
  maxBytes: number,
): OpenedSource {
  return {
    kind,
    key: `shadow:${kind}:${root}`,
    label:
      kind === 'eml'
        ? `file ${root}`
        : `${kind === 'maildir' ? 'Maildir' : 'directory'} ${root} (${files.length} messages)`,
    uidValidity: '1',
    count: async (after) => Math.max(0, files.length - after),
    async *read(after) {
      for (let i = after; i < files.length; i++) {
        const f = files[i] as { path: string; name: string };
        yield await readEml(f.path, f.name, i + 1, maxBytes);
      }
    },
    close: async () => undefined,
  };
}

/** An mbox file (mboxo/mboxrd), streamed in chunks: one message in memory at a time. */
function mboxSource(path: string, size: number, maxBytes: number): OpenedSource {
  return {
    kind: 'mbox',
    key: `shadow:mbox:${path}`,
    label: `mbox ${path} (${(size / 1024 / 1024).toFixed(1)} MB)`,
    uidValidity: '1',
    count: async () => null,
    async *read(after) {
      const splitter = new MboxSplitter({ skip: after, maxBytes });
      const toItem = (m: MboxMessage): PositionedMessage => ({
        name: `${basename(path)} #${m.index}`,
        position: m.index,
        raw: m.raw,
        size: m.size,
        sha256: m.sha256,
        oversize: m.size > maxBytes,
        warning: m.warning,
        internalDate: null,
        fraction: size > 0 ? Math.min(1, m.end / size) : 1,
      });
      for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
        for (const m of splitter.push(chunk as Buffer)) yield toItem(m);
      }
      for (const m of splitter.end()) yield toItem(m);
    },
    close: async () => undefined,
  };
}

/**
 * Opens a file-based source: an mbox (a file whose first line is a From_ line), a single .eml
 * file, a Maildir (a directory with cur/ and new/) or a directory of .eml files (sorted by name).
 * Throws SourceError with a sentence saying what is wrong. For `imap:FOLDER` see imap.source.ts.
 */
export async function openFileSource(spec: string, opts: { maxBytes: number }): Promise<OpenedSource> {
  const path = resolve(spec);
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(path);
  } catch (err) {
    throw unreadable(spec, err);
  }
  if (st.isFile()) {
    const first = Buffer.alloc(5);
    try {
      const fh = await open(path, 'r');
      try {
        await fh.read(first, 0, 5, 0);
      } finally {
        await fh.close();
      }
    } catch (err) {
      throw unreadable(spec, err);
    }
    return first.toString('latin1') === 'From '
      ? mboxSource(path, st.size, opts.maxBytes)
      : fileList('eml', path, [{ path, name: basename(path) }], opts.maxBytes);
  }
  if (!st.isDirectory()) throw new SourceError(`cannot read ${spec}: not a file or a directory`);
  let entries: string[];
  try {
    entries = await readdir(path);
  } catch (err) {
    throw unreadable(spec, err);
  }
  if (entries.includes('cur') && entries.includes('new')) {
    const files: Array<{ path: string; name: string }> = [];
    for (const sub of ['cur', 'new']) {
      for (const f of (await readdir(join(path, sub))).filter((f) => !f.startsWith('.')).sort())
        files.push({ path: join(path, sub, f), name: `${sub}/${f}` });
    }
    return fileList('maildir', path, files, opts.maxBytes);
  }
  const files = entries
    .filter((f) => f.endsWith('.eml') && !f.startsWith('.'))
    .sort()
    .map((f) => ({ path: join(path, f), name: f }));
  if (files.length === 0)
    throw new SourceError(
      `found no mail in ${spec}: expected .eml files, a Maildir (cur/ and new/) or an mbox file`,
    );
  return fileList('directory', path, files, opts.maxBytes);
}
