import type { ImapFlow, MailboxLockObject } from 'imapflow';
import { createImapClient, type ImapSettings, mailboxKey } from '../../mailbox/imap.client.ts';
import { describeError } from '../../shared/errors.ts';
import { sha256Hex } from '../../shared/ids.ts';
import { type OpenedSource, type PositionedMessage, SourceError } from './source.model.ts';

/**
 * A folder of the configured IMAP account, read-only: the folder is opened with EXAMINE
 * (RFC 3501 §6.3.2: no flag changes, \Recent untouched), sources are fetched with BODY.PEEK[]
 * (imapflow's `source`, RFC 3501 §6.4.5: \Seen is not set), and nothing is stored, copied,
 * moved or expunged. Messages are fetched by UID in batches; over `maxBytes` only the header
 * block is fetched.
 */
export async function openImapSource(
  settings: ImapSettings,
  folder: string,
  opts: { maxBytes: number; batchSize?: number },
): Promise<OpenedSource> {
  const where = `${settings.user}@${settings.host}:${settings.port}`;
  const client = createImapClient(settings, { socketTimeoutMs: 5 * 60 * 1000 });
  try {
    await client.connect();
  } catch (err) {
    throw new SourceError(`cannot connect to the IMAP server ${where}: ${describeError(err)}`, err);
  }
  let lock: MailboxLockObject;
  try {
    lock = await client.getMailboxLock(folder, { readOnly: true });
  } catch (err) {
    await client.logout().catch(() => undefined);
    // imapflow says "Command failed"; the server's own words are in responseText ("Mailbox doesn't exist").
    const said = (err as { responseText?: string }).responseText;
    throw new SourceError(
      `cannot open the IMAP folder "${folder}" on ${where}: ${said ?? describeError(err)}`,
      err,
    );
  }
  const mb = client.mailbox;
  const uidValidity = mb ? String(mb.uidValidity) : '0';
  let listed: { after: number; uids: number[] } | null = null;
  const uidsAfter = async (after: number) => {
    if (listed?.after !== after) {
      // UID SEARCH: the UIDs alone (a few bytes each), so the folder's size does not matter.
      const found = await client.search({ uid: `${after + 1}:*` }, { uid: true });
      listed = { after, uids: (found || []).filter((u) => u > after).sort((a, b) => a - b) };
    }
    return listed.uids;
  };
  const batchSize = opts.batchSize ?? 25;
  return {
    kind: 'imap',
    key: `shadow:imap:${mailboxKey({ ...settings, mailbox: folder })}`,
    label: `IMAP folder "${folder}" of ${where} (read-only)`,
    uidValidity,
    count: async (after) => (await uidsAfter(after)).length,
    async *read(after) {
      const uids = await uidsAfter(after);
      for (let i = 0; i < uids.length; i += batchSize) {
        yield* fetchBatch(client, folder, uidValidity, uids.slice(i, i + batchSize), opts.maxBytes);
      }
    },
    async close() {
      lock.release();
      await client.logout().catch(() => undefined);
    },
  };
}

/** Bodies held at once while a batch is fetched: a batch of large messages comes in smaller groups. */
const GROUP_BYTES = 32 * 1024 * 1024;

/**
 * One batch: sizes first (nothing large is downloaded blind), then the sources that fit, fetched
 * in groups of at most GROUP_BYTES and yielded in UID order, so memory stays bounded whatever the
 * messages' sizes. Oversized ones yield their headers only.
 */
async function* fetchBatch(
  client: ImapFlow,
  folder: string,
  uidValidity: string,
  uids: number[],
  maxBytes: number,
): AsyncGenerator<PositionedMessage> {
  const metas = new Map<number, { size: number; internalDate: Date | null }>();
  for await (const m of client.fetch(
    uids.join(','),
    { uid: true, size: true, internalDate: true },
    { uid: true },
  ))
    metas.set(m.uid, { size: m.size ?? 0, internalDate: m.internalDate ? new Date(m.internalDate) : null });
  // Expunged by another client between the search and the fetch: nothing left to read.
  const present = uids.filter((u) => metas.has(u));
  let group: number[] = [];
  let groupBytes = 0;
  const flush = async function* () {
    if (group.length === 0) return;
    const bodies = new Map<number, Buffer>();
    for await (const m of client.fetch(group.join(','), { uid: true, source: true }, { uid: true }))
      if (m.source) bodies.set(m.uid, m.source);
    for (const uid of group) {
      const raw = bodies.get(uid);
      if (raw) yield positioned(folder, uidValidity, uid, raw, metas.get(uid)!, false);
    }
    group = [];
    groupBytes = 0;
  };
  for (const uid of present) {
    const meta = metas.get(uid)!;
    if (meta.size > maxBytes) {
      yield* flush();
      // Collected first: no yield (and no other work) while a FETCH is streaming.
      let headers: Buffer | null = null;
      for await (const m of client.fetch(String(uid), { uid: true, headers: true }, { uid: true }))
        headers = m.headers ?? null;
      if (headers) yield positioned(folder, uidValidity, uid, headers, meta, true);
      continue;
    }
    if (groupBytes + meta.size > GROUP_BYTES) yield* flush();
    group.push(uid);
    groupBytes += meta.size;
  }
  yield* flush();
}

function positioned(
  folder: string,
  uidValidity: string,
  uid: number,
  raw: Buffer,
  meta: { size: number; internalDate: Date | null },
  oversize: boolean,
): PositionedMessage {
  return {
    name: `${folder} UID ${uid}`,
    position: uid,
    raw,
    size: oversize ? meta.size : raw.length,
    // An undownloaded message is known by its place, as the live watcher records it.
    sha256: oversize ? `unfetched-${uidValidity}-${uid}` : sha256Hex(raw),
    oversize,
    warning: null,
    internalDate: meta.internalDate,
    fraction: null,
  };
}
