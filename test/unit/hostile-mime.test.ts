import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/ingest/parse.ts';
import { QuarantineError } from '../../src/shared/errors.ts';

const CORPUS = join(import.meta.dirname, '../../../shared/corpora/mailparser');
const head = (extra = '') =>
  `From: x@hostile.example\r\nTo: assistant@northwind.example\r\nSubject: hostile\r\nMessage-ID: <h@x>\r\nMIME-Version: 1.0\r\n${extra}`;

/** Parses and measures wall time and peak RSS growth (sampled every 5 ms). RELIABILITY.md item 22. */
async function measure(
  raw: Buffer,
): Promise<{ ms: number; rssMb: number; outcome: 'parsed' | 'quarantined' }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const t0 = performance.now();
  let outcome: 'parsed' | 'quarantined' = 'parsed';
  try {
    await parseMessage(raw);
  } catch (err) {
    if (!(err instanceof QuarantineError)) throw err;
    outcome = 'quarantined';
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms: performance.now() - t0, rssMb: (peak - base) / 2 ** 20, outcome };
}

describe('hostile MIME is parsed or quarantined within 2 s and 300 MB', () => {
  it('5,000 MIME parts → quarantined', async () => {
    const parts = Array.from(
      { length: 5000 },
      (_, i) => `--b\r\nContent-Type: text/plain\r\n\r\n${i}\r\n`,
    ).join('');
    const r = await measure(
      Buffer.from(`${head('Content-Type: multipart/mixed; boundary=b\r\n')}\r\n${parts}--b--\r\n`),
    );
    expect(r.outcome).toBe('quarantined');
    expect(r.ms).toBeLessThan(2000);
    expect(r.rssMb).toBeLessThan(300);
  });

  it('an 8 MB HTML body → parsed, with the text truncated and a warning', async () => {
    const html = `<html><body>${'<div><p>Invoice line <b>42</b> &amp; more</p></div>'.repeat(160_000)}</body></html>`;
    expect(html.length).toBeGreaterThan(8_000_000);
    const raw = Buffer.from(`${head('Content-Type: text/html; charset=utf-8\r\n')}\r\n${html}\r\n`);
    const r = await measure(raw);
    expect(r.outcome).toBe('parsed');
    expect(r.ms).toBeLessThan(2000);
    expect(r.rssMb).toBeLessThan(300);
    const msg = await parseMessage(raw);
    expect(msg.text).toContain('Invoice line 42');
    expect(msg.parseWarnings.join(' ')).toMatch(/truncated/);
  });

  it('message/rfc822 nested 200 deep → parsed, only the first level is unwrapped', async () => {
    let inner = 'From: deep@x.example\r\nSubject: level 0\r\n\r\nbottom\r\n';
    for (let i = 1; i <= 200; i++) {
      inner = `From: l${i}@x.example\r\nSubject: level ${i}\r\nContent-Type: message/rfc822\r\n\r\n${inner}`;
    }
    const raw = Buffer.from(
      `${head('Content-Type: multipart/mixed; boundary=z\r\n')}\r\n--z\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--z\r\nContent-Type: message/rfc822\r\n\r\n${inner}\r\n--z--\r\n`,
    );
    const r = await measure(raw);
    expect(r.ms).toBeLessThan(2000);
    expect(r.rssMb).toBeLessThan(300);
  });

  it('unknown and lying charsets → parsed without throwing', async () => {
    const bytes = Buffer.concat([
      Buffer.from(
        `${head('Content-Type: multipart/mixed; boundary=c\r\n')}\r\n--c\r\nContent-Type: text/plain; charset=x-made-up-charset\r\n\r\n`,
      ),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]),
      Buffer.from(
        '\r\n--c\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not-base64!!!\r\n--c\r\nContent-Type: text/plain; charset=iso-2022-jp\r\n\r\n\x1b$B%F%9%H\x1b(B\r\n--c--\r\n',
      ),
    ]);
    const r = await measure(bytes);
    expect(r.outcome).toBe('parsed');
    expect(r.ms).toBeLessThan(2000);
  });

  it('a part header list far over the limit, nested 1,000 multiparts deep → quarantined, no stack overflow', async () => {
    let body = 'leaf\r\n';
    for (let i = 0; i < 1000; i++)
      body = `Content-Type: multipart/mixed; boundary=n${i}\r\n\r\n--n${i}\r\n${body}--n${i}--\r\n`;
    const r = await measure(Buffer.from(`${head()}${body}`));
    expect(r.outcome).toBe('quarantined');
    expect(r.ms).toBeLessThan(2000);
  });

  it('every message of the mailparser corpus (odd and broken MIME) parses within the limits', async () => {
    const files = [
      ...readdirSync(join(CORPUS, 'fixtures'))
        .filter((f) => f.endsWith('.eml'))
        .map((f) => join(CORPUS, 'fixtures', f)),
      ...readdirSync(join(CORPUS, 'inline'))
        .filter((f) => f.endsWith('.eml'))
        .map((f) => join(CORPUS, 'inline', f)),
    ];
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) {
      const r = await measure(readFileSync(f));
      expect(r.ms, f).toBeLessThan(2000);
      expect(r.rssMb, f).toBeLessThan(300);
    }
  });
});
