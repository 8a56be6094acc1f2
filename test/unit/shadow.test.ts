import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDENTITY, DEMO_NOW } from '../../src/commands/demo.command.ts';
import { type ShadowOptions, shadowCommand } from '../../src/commands/shadow.command.ts';
import { progressText } from '../../src/commands/shadow.progress.ts';
import { openDatabase } from '../../src/db/db.ts';
import { type MboxMessage, MboxSplitter } from '../../src/ingest/sources/mbox.split.ts';
import { headerHints } from '../../src/ingest/sources/source.headers.ts';

const DEMO_MAILBOX = join(import.meta.dirname, '../../examples/demo-mailbox');
const work = mkdtempSync(join(tmpdir(), 'shadow-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The demo's people, and no model, SMTP or Redis: whatever the machine's environment says. */
const ENV = {
  ...DEMO_IDENTITY,
  OPENAI_API_KEY: '',
  OPENAI_BASE_URL: '',
  LLM_MODEL: '',
  // Configured on purpose: a shadow run must ignore it (nothing listens there).
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: '9',
  LOG_LEVEL: 'silent',
};

/** Runs the command in-process with its output captured. */
async function shadow(o: Partial<ShadowOptions> & { source: string; out: string }) {
  let stdout = '';
  let stderr = '';
  const code = await shadowCommand({
    env: ENV,
    now: DEMO_NOW,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    ...o,
  });
  return {
    code,
    stdout,
    stderr,
    html: existsSync(join(o.out, 'report.html')) ? readFileSync(join(o.out, 'report.html'), 'utf8') : '',
  };
}

/** What the run left in its database. */
async function rows(out: string) {
  const h = await openDatabase({ kind: 'pglite', dataDir: out });
  try {
    return {
      messages: await h.db
        .selectFrom('messages')
        .select(['id', 'subject', 'raw', 'status'])
        .orderBy('id')
        .execute(),
      outbox: await h.db.selectFrom('outbox').select(['status', 'purpose', 'sent_at', 'attempts']).execute(),
    };
  } finally {
    await h.close();
  }
}

const sections = (html: string) => html.match(/<section class="msg" id="m\d+">/g) ?? [];

function mail(o: {
  from: string;
  subject: string;
  id: string;
  body: string;
  eol?: string;
  headers?: string;
}): string {
  const eol = o.eol ?? '\n';
  const head = [
    `From: ${o.from}`,
    'To: assistant@northwind.example',
    `Subject: ${o.subject}`,
    `Message-ID: <${o.id}>`,
    'Date: Mon, 09 Mar 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    ...(o.headers ? [o.headers] : []),
  ];
  return `${[...head, '', ...o.body.split('\n')].join(eol)}${eol}`;
}

/** An mbox as tools write it (mboxrd): From_ line, message, blank line; body "From " lines escaped. */
const SMALL_MBOX = [
  'From dana@lumen.example Mon Mar  9 10:00:00 2026\n',
  mail({
    from: 'Dana Lee <dana@lumen.example>',
    subject: 'Could Maya send the Q3 numbers?',
    id: 'q3@lumen.example',
    body: 'Hi,\n\nCould you send me the Q3 numbers by Friday?\n>From the board: thanks.\n\nDana',
  }),
  '\n',
  'From eve@evil.example Mon Mar  9 10:05:00 2026\r\n',
  mail({
    from: 'Eve <eve@evil.example>',
    subject: '<script>alert("x")</script> & <b>bold</b>',
    id: 'hostile@evil.example',
    body: 'Hello <img src=x onerror=alert(1)>',
    eol: '\r\n',
  }),
  '\r\n',
  'From news@letters.example Mon Mar  9 10:10:00 2026\n',
  mail({
    from: 'Letters <news@letters.example>',
    subject: 'This week in letters',
    id: 'news-1@letters.example',
    body: 'Read all about it.',
    headers: 'List-Unsubscribe: <mailto:unsub@letters.example>\nList-Id: <letters.letters.example>',
  }),
  '\n',
  'From cut@lumen.example Mon Mar  9 10:15:00 2026\n',
  // Cut off mid-line: the file ends without a line end.
  'From: Cut <cut@lumen.example>\nTo: assistant@northwind.example\nSubject: Cut off\nMessage-ID: <cut@lumen.example>\n\nThis message stops in the mid',
].join('');

function split(bytes: Buffer, chunk: number, opts = {}): MboxMessage[] {
  const s = new MboxSplitter(opts);
  const out: MboxMessage[] = [];
  for (let i = 0; i < bytes.length; i += chunk) out.push(...s.push(bytes.subarray(i, i + chunk)));
  return [...out, ...s.end()];
}

describe('the mbox splitter', () => {
  const bytes = Buffer.from(SMALL_MBOX);

  it('cuts at From_ lines, un-escapes ">From " and drops the separator blank line, for LF and CRLF files', () => {
    const ms = split(bytes, 1 << 16);
    expect(ms.map((m) => m.index)).toEqual([1, 2, 3, 4]);
    const first = ms[0]?.raw.toString() ?? '';
    expect(first).toContain('\nFrom the board: thanks.\n');
    expect(first).not.toContain('>From the board');
    expect(first.endsWith('Dana\n')).toBe(true);
    const second = ms[1]?.raw.toString() ?? '';
    expect(second.startsWith('From: Eve <eve@evil.example>\r\n')).toBe(true);
    expect(second.endsWith('onerror=alert(1)>\r\n')).toBe(true);
    expect(ms.slice(0, 3).every((m) => m.warning === null)).toBe(true);
  });

  it('yields a message cut off at the end of the file, with a warning', () => {
    const last = split(bytes, 1 << 16).at(-1);
    expect(last?.raw.toString()).toContain('This message stops in the mid');
    expect(last?.warning).toMatch(/truncated/);
  });

  it('does not cut at a "From " line inside a paragraph', () => {
    const text =
      'From a@b.example Mon Mar  9 10:00:00 2026\nSubject: x\n\nline one\nFrom here on we talk 2026\n';
    expect(split(Buffer.from(text), 7)).toHaveLength(1);
  });

  it('finds the same messages wherever the chunks break', () => {
    const whole = split(bytes, bytes.length).map((m) => [
      m.index,
      m.raw.toString('hex'),
      m.sha256,
      m.warning,
    ]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), (chunk) => {
        expect(split(bytes, chunk).map((m) => [m.index, m.raw.toString('hex'), m.sha256, m.warning])).toEqual(
          whole,
        );
      }),
      { numRuns: 60 },
    );
  });

  it('passes over skipped messages and keeps at most maxBytes of one, hashing all of it', () => {
    const all = split(bytes, 100);
    const skipped = split(bytes, 100, { skip: 2 });
    expect(skipped.map((m) => m.index)).toEqual([3, 4]);
    const cut = split(bytes, 100, { maxBytes: 40 });
    expect(cut[0]?.raw.length).toBe(40);
    expect(cut[0]?.size).toBe(all[0]?.size);
    expect(cut[0]?.sha256).toBe(all[0]?.sha256);
  });

  it('reads Message-ID, Subject and From from the header block alone', () => {
    const m = split(bytes, 1 << 16)[1]?.raw ?? Buffer.alloc(0);
    expect(headerHints(m)).toEqual({
      messageId: 'hostile@evil.example',
      subject: '<script>alert("x")</script> & <b>bold</b>',
      from: 'eve@evil.example',
    });
  });
});

describe('progress', () => {
  it('tells count, share, rate and time left', () => {
    expect(
      progressText({ done: 250, total: 1000, fraction: null, startFraction: 0, elapsedMs: 10_000 }),
    ).toBe('250/1,000 messages (25%) · 25.0 msg/s · ETA 30s');
    expect(
      progressText({ done: 100, total: null, fraction: 0.6, startFraction: 0.5, elapsedMs: 4_000 }),
    ).toBe('100 messages (20%) · 25.0 msg/s · ETA 16s');
  });
});

describe('shadow over a small mbox', () => {
  const file = join(work, 'small.mbox');
  const out = join(work, 'small-out');
  beforeAll(() => writeFileSync(file, SMALL_MBOX));

  it('reports every message, escapes what it shows, and sends nothing', async () => {
    const r = await shadow({ source: file, out });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/This run: 4 read — 4 new, 0 already stored/);
    expect(r.stdout).toMatch(/Nothing sent, nothing moved/);
    expect(sections(r.html)).toHaveLength(4);
    // The hostile subject is shown, escaped; no markup of a message reaches the page.
    expect(r.html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;&#x2F;script&gt; &amp; &lt;b&gt;bold&lt;&#x2F;b&gt;',
    );
    expect(r.html).not.toMatch(/<script|<img|onerror=alert/i);
    expect(r.html).toContain('small.mbox #4');
    expect(r.html).toMatch(/⚠ the mbox ends in the middle of a line/);
    expect(r.html).toContain('Digest it would have produced');
    // The digest the run would have sent and the metrics of the run (docs/metrics.md).
    expect(r.html).toMatch(
      /<p><b>Your digest for [A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4}[^<]*<\/b><\/p><pre>Good morning/,
    );
    expect(r.html).toMatch(/<tr><th>messages handled<\/th><td>\d+<\/td><\/tr>/);
    expect(r.html).not.toContain('No digest was built');
    const db = await rows(out);
    expect(db.messages[0]?.raw?.toString()).toContain('\nFrom the board: thanks.\n');
    expect(db.outbox.every((o) => o.status === 'pending' && o.sent_at === null && o.attempts === 0)).toBe(
      true,
    );
  }, 60_000);

  it('run again, it stores nothing new and lists each message once', async () => {
    const r = await shadow({ source: file, out });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/This run: 0 read — 0 new, 0 already stored; 4 done by an earlier run/);
    expect(sections(r.html)).toHaveLength(4);
    expect((await rows(out)).messages).toHaveLength(4);
  }, 60_000);

  it('stopped part-way, it continues where it stopped; --fresh starts over', async () => {
    const partial = join(work, 'partial-out');
    const stop = new AbortController();
    const first = await shadow({
      source: file,
      out: partial,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.done === 2) stop.abort();
      },
    });
    expect(first.code).toBe(130);
    expect(first.stdout).toMatch(/Interrupted: run the same command again/);
    expect(sections(first.html)).toHaveLength(2);
    const second = await shadow({ source: file, out: partial });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/This run: 2 read — 2 new, 0 already stored; 2 done by an earlier run/);
    expect(sections(second.html)).toHaveLength(4);
    expect(new Set(sections(second.html)).size).toBe(4);
    const fresh = await shadow({ source: file, out: partial, fresh: true });
    expect(fresh.stdout).toMatch(/This run: 4 read — 4 new, 0 already stored\n/);
    expect(sections(fresh.html)).toHaveLength(4);
  }, 120_000);

  it('refuses another source in the same output directory, and a missing source', async () => {
    const other = await shadow({ source: DEMO_MAILBOX, out });
    expect(other.code).toBe(73);
    expect(other.stderr).toMatch(/holds the shadow run of mbox:.*small\.mbox; pass --fresh/);
    const missing = await shadow({ source: join(work, 'nope.mbox'), out: join(work, 'nope-out') });
    expect(missing.code).toBe(66);
    expect(missing.stderr).toMatch(/cannot read .*nope\.mbox: no such file or directory/);
    expect(existsSync(join(work, 'nope-out'))).toBe(false);
  }, 60_000);
});

describe('shadow over a Maildir', () => {
  it('reads cur/ and new/, and quarantines a message over MAX_MESSAGE_BYTES without reading it', async () => {
    const maildir = join(work, 'Maildir');
    for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
    const small = mail({
      from: 'Dana Lee <dana@lumen.example>',
      subject: 'Small one',
      id: 'small@lumen.example',
      body: 'Hi.',
    });
    const big = mail({
      from: 'Ken Ito <ken@harbor.example>',
      subject: 'Big one',
      id: 'big@harbor.example',
      body: 'x'.repeat(4000),
    });
    writeFileSync(join(maildir, 'cur', '1700000000.1.host:2,S'), big);
    writeFileSync(join(maildir, 'new', '1700000001.2.host'), small);
    const out = join(work, 'maildir-out');
    const r = await shadow({ source: maildir, out, env: { ...ENV, MAX_MESSAGE_BYTES: '2048' } });
    expect(r.code).toBe(0);
    expect(sections(r.html)).toHaveLength(2);
    expect(r.html).toContain('cur&#x2F;1700000000.1.host:2,S'); // mustache escapes "/" too
    expect(r.html).toMatch(/Quarantined: message is \d+ bytes, over the 2048-byte limit; not read/);
    expect(r.html).toContain('Big one');
    const db = await rows(out);
    expect(db.messages.map((m) => [m.status, m.raw === null])).toEqual([
      ['quarantined', true],
      ['processed', false],
    ]);
    expect(db.outbox.every((o) => o.status === 'pending')).toBe(true);
  }, 60_000);
});

describe('shadow over the demo mailbox', () => {
  const out = join(work, 'demo-out');
  let first: Awaited<ReturnType<typeof shadow>>;
  beforeAll(async () => {
    first = await shadow({ source: DEMO_MAILBOX, out });
  }, 120_000);

  it('shows triage, documents, proposals and the approval emails it would send, and sends none', async () => {
    expect(first.code).toBe(0);
    expect(sections(first.html)).toHaveLength(11);
    for (const f of ['01-cc-meeting.eml', '02-forwarded-invoice.eml', '11-bank-statement.eml'])
      expect(first.html).toContain(f);
    expect(first.html).toContain('invoice-2024-0042.pdf');
    expect(first.html).toMatch(/<b>total<\/b> EUR 1,190\.00/);
    expect(first.html).toContain('Approval emails it would send');
    expect(first.html).toMatch(/Approve ACME GmbH invoice 2024-0042/);
    expect(first.html).toContain('Nothing was sent and nothing was moved');
    const db = await rows(out);
    expect(db.outbox.length).toBeGreaterThan(0);
    expect(db.outbox.filter((o) => o.purpose === 'approval').length).toBeGreaterThan(0);
    expect(db.outbox.every((o) => o.status === 'pending' && o.sent_at === null)).toBe(true);
  });

  it('run again, it stores nothing new and the report has no duplicates', async () => {
    const again = await shadow({ source: DEMO_MAILBOX, out });
    expect(again.stdout).toMatch(/This run: 0 read — 0 new/);
    expect(sections(again.html)).toEqual(sections(first.html));
    expect(again.html.match(/Approve ACME GmbH invoice 2024-0042/g)?.length).toBe(
      first.html.match(/Approve ACME GmbH invoice 2024-0042/g)?.length,
    );
  }, 60_000);

  it('renders in headless Chromium to a non-blank page', () => {
    const png = join(work, 'report.png');
    const run = spawnSync(
      'chromium',
      [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--hide-scrollbars',
        `--user-data-dir=${join(work, 'chromium-profile')}`,
        `--screenshot=${png}`,
        '--window-size=1200,1600',
        `file://${join(out, 'report.html')}`,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(
        'chromium is not installed: run `bash scripts/stack.sh deps` (or apt-get install -y chromium)',
      );
    expect(existsSync(png), run.stderr).toBe(true);
    const image = decodePng(readFileSync(png));
    expect([image.width, image.height]).toEqual([1200, 1600]);
    // Not blank: many colours, and text drawn across the page (dark pixels top to bottom).
    expect(image.colours).toBeGreaterThan(50);
    expect(image.darkShare).toBeGreaterThan(0.01);
    expect(image.darkRows).toBeGreaterThan(300);
  }, 90_000);
});

describe('the command line', () => {
  it('shadow --help explains the sources, and a missing source exits 66 with a sentence', async () => {
    const run = promisify(execFile);
    const help = await run(process.execPath, ['bin/deskhand.js', 'shadow', '--help']);
    expect(help.stdout).toMatch(/imap:FOLDER/);
    expect(help.stdout).toMatch(/--fresh/);
    const missing = await run(process.execPath, ['bin/deskhand.js', 'shadow', join(work, 'missing-dir')], {
      env: { ...process.env, ...ENV },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(missing.code).toBe(66);
    expect(missing.stderr).toMatch(/deskhand shadow: cannot read .*missing-dir: no such file or directory/);
  }, 30_000);
});

/**
 * Decodes an 8-bit RGB/RGBA PNG (what Chromium writes) far enough to look at its pixels:
 * IHDR (PNG spec §11.2.2), the zlib stream of the IDAT chunks, and the five scanline filters (§9).
 */
function decodePng(png: Buffer) {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8); // bit depth
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      expect(channels).toBeGreaterThan(0);
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x] ?? 0;
      const a = x >= channels ? (pixels[y * stride + x - channels] ?? 0) : 0;
      const b = y > 0 ? (pixels[(y - 1) * stride + x] ?? 0) : 0;
      const c = x >= channels && y > 0 ? (pixels[(y - 1) * stride + x - channels] ?? 0) : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][filter ?? 0] ?? 0;
      pixels[y * stride + x] = (v + pred) & 0xff;
    }
  }
  const colours = new Set<number>();
  let dark = 0;
  let darkRows = 0;
  for (let y = 0; y < height; y++) {
    let rowDark = false;
    for (let x = 0; x < width; x++) {
      const i = y * stride + x * channels;
      const [r, g, b] = [pixels[i] ?? 0, pixels[i + 1] ?? 0, pixels[i + 2] ?? 0];
      colours.add((r << 16) | (g << 8) | b);
      if (r + g + b < 300) {
        dark++;
        rowDark = true;
      }
    }
    if (rowDark) darkRows++;
  }
  return { width, height, colours: colours.size, darkShare: dark / (width * height), darkRows };
}

describe('shadow mode: review findings', () => {
  it('an ordinary "From here on…" line after a blank line is not a message boundary; an asctime From_ line is', async () => {
    const { isFromLine } = await import('../../src/ingest/sources/mbox.split.ts');
    expect(isFromLine('From here on, the meeting is at 10 am.')).toBe(false);
    expect(isFromLine('From 2026 onwards we meet on Mondays at 9')).toBe(false);
    expect(isFromLine('From dana@lumen.example Mon Mar  9 10:00:00 2026')).toBe(true);
    expect(isFromLine('From MAILER-DAEMON Thu Jan  1 00:00:00 +0000 1970')).toBe(true);
  });

  it("--fresh never removes a database that is not a shadow run's (e.g. the live DATA_DIR)", async () => {
    const { prepareOutDir } = await import('../../src/commands/shadow.state.ts');
    const dir = mkdtempSync(join(tmpdir(), 'shadow-live-'));
    mkdirSync(join(dir, 'pglite'));
    writeFileSync(join(dir, 'pglite', 'PG_VERSION'), '17');
    await expect(prepareOutDir(dir, 'shadow:x.mbox', { fresh: true })).rejects.toThrow(/not a shadow run's/);
    expect(existsSync(join(dir, 'pglite', 'PG_VERSION'))).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });
});
