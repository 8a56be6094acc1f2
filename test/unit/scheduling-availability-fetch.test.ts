import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyFromCalendars } from '../../src/skills/scheduling/availability/calendar-busy.ts';
import { memoryIcsCache } from '../../src/skills/scheduling/availability/ics-cache.ts';
import { fetchIcs } from '../../src/skills/scheduling/availability/ics-fetch.ts';

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'BEGIN:VEVENT',
  'UID:a@x',
  'DTSTART:20260302T090000Z',
  'DTEND:20260302T100000Z',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Handler>();
const hits = new Map<string, number>();
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const handler = routes.get(path);
    if (handler) handler(req, res);
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function route(path: string, handler: Handler): string {
  routes.set(path, handler);
  return `${base}${path}`;
}

const manualClock = (start = '2026-03-01T08:00:00Z') => {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
};

describe('fetching a calendar feed', () => {
  it('returns the text of a feed', async () => {
    const url = route('/ok.ics', (_, res) =>
      res.writeHead(200, { 'content-type': 'text/calendar' }).end(ICS),
    );
    expect(await fetchIcs(url)).toEqual({ ok: true, text: ICS, source: 'network', warning: null });
  });

  it('sends user:password from the address as Basic authorization, not in the URL', async () => {
    let auth: string | undefined;
    const url = route('/private.ics', (req, res) => {
      auth = req.headers.authorization;
      res.writeHead(200).end(ICS);
    });
    const got = await fetchIcs(url.replace('http://', 'http://owner:s%3Acret@'));
    expect(got.ok).toBe(true);
    expect(auth).toBe(`Basic ${Buffer.from('owner:s:cret').toString('base64')}`);
  });

  it('decompresses a gzip body and counts the limit after decompression', async () => {
    const big = ICS.replace('END:VCALENDAR', `X-PAD:${'a'.repeat(50_000)}\r\nEND:VCALENDAR`);
    const url = route('/gzip.ics', (_, res) =>
      res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(big)),
    );
    expect(await fetchIcs(url)).toMatchObject({ ok: true, text: big });
    expect(await fetchIcs(url, { maxBytes: 10_000 })).toMatchObject({
      ok: false,
      error: { code: 'ICS_TOO_LARGE' },
    });
  });

  it('refuses a body larger than the limit, declared or streamed', async () => {
    const declared = route('/declared.ics', (_, res) =>
      res.writeHead(200, { 'content-length': '2000' }).end('x'.repeat(2000)),
    );
    const streamed = route('/streamed.ics', (_, res) => {
      res.writeHead(200);
      res.write('BEGIN:VCALENDAR\r\n');
      res.end('X'.repeat(5_000));
    });
    const a = await fetchIcs(declared, { maxBytes: 1000 });
    const b = await fetchIcs(streamed, { maxBytes: 1000 });
    expect(a).toMatchObject({ ok: false, error: { code: 'ICS_TOO_LARGE', retryable: false } });
    expect(b).toMatchObject({ ok: false, error: { code: 'ICS_TOO_LARGE', retryable: false } });
  });

  it('gives up after the timeout, also on a body that trickles', async () => {
    const silent = route('/silent.ics', () => {});
    const trickle = route('/trickle.ics', (_, res) => {
      res.writeHead(200);
      res.write('BEGIN:VCALENDAR\r\n');
    });
    const started = Date.now();
    const [a, b] = await Promise.all([
      fetchIcs(silent, { timeoutMs: 200 }),
      fetchIcs(trickle, { timeoutMs: 200 }),
    ]);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(a).toMatchObject({ ok: false, error: { code: 'ICS_TIMEOUT', retryable: true } });
    expect(b).toMatchObject({ ok: false, error: { code: 'ICS_TIMEOUT', retryable: true } });
  });

  it.each([
    [503, true],
    [429, true],
    [404, false],
    [401, false],
  ])('reports HTTP %i as an error (retryable: %s)', async (status, retryable) => {
    const url = route(`/status-${status}.ics`, (_, res) => res.writeHead(status).end('no'));
    const got = await fetchIcs(url);
    expect(got).toMatchObject({ ok: false, error: { code: 'ICS_HTTP_STATUS', retryable } });
  });

  it('reports a login page served with 200 as not a calendar', async () => {
    const url = route('/login.ics', (_, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Sign in</html>'),
    );
    expect(await fetchIcs(url)).toMatchObject({ ok: false, error: { code: 'ICS_NOT_CALENDAR' } });
  });

  it('reports a refused connection as a retryable network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const got = await fetchIcs(`http://127.0.0.1:${port}/feed.ics`);
    expect(got).toMatchObject({ ok: false, error: { code: 'ICS_NETWORK', retryable: true } });
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/a.ics', 'not a url', 'javascript:alert(1)'])(
    'refuses %s without touching the network',
    async (url) => {
      expect(await fetchIcs(url)).toMatchObject({
        ok: false,
        error: { code: 'ICS_BAD_URL', retryable: false },
      });
    },
  );

  it('fetches a webcal:// address over https, through an injected fetch', async () => {
    const seen: string[] = [];
    const fake: typeof fetch = async (input) => {
      seen.push(String(input));
      return new Response(ICS, { status: 200 });
    };
    expect(await fetchIcs('webcal://calendar.example/owner.ics', { fetch: fake })).toMatchObject({
      ok: true,
    });
    expect(seen).toEqual(['https://calendar.example/owner.ics']);
  });

  it('never puts the secret path or query of a feed into an error message', async () => {
    const url = route('/calendar/ical/owner%40example.com/private-5ecret/basic.ics', (_, res) =>
      res.writeHead(500).end(),
    );
    const got = await fetchIcs(`${url}?token=5ecret`);
    expect(got.ok).toBe(false);
    expect(JSON.stringify(got)).not.toMatch(/5ecret|owner/);
    expect(!got.ok && got.error.message).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/… answered HTTP 500$/);
  });
});

describe('the feed cache', () => {
  it('serves a fresh copy without fetching, and fetches again once it is stale', async () => {
    const url = route('/cached.ics', (_, res) => res.writeHead(200).end(ICS));
    const clock = manualClock();
    const cache = memoryIcsCache({ clock });
    expect(await fetchIcs(url, { cache })).toMatchObject({ ok: true, source: 'network' });
    clock.advance(60_000);
    expect(await fetchIcs(url, { cache })).toMatchObject({ ok: true, source: 'cache', text: ICS });
    expect(hits.get('/cached.ics')).toBe(1);
    clock.advance(5 * 60_000);
    expect(await fetchIcs(url, { cache })).toMatchObject({ ok: true, source: 'network' });
    expect(hits.get('/cached.ics')).toBe(2);
  });

  it('stands in with a recent copy while the feed is down, and says so', async () => {
    let up = true;
    const url = route('/flaky.ics', (_, res) =>
      up ? res.writeHead(200).end(ICS) : res.writeHead(502).end(),
    );
    const clock = manualClock();
    const cache = memoryIcsCache({ clock });
    await fetchIcs(url, { cache });
    up = false;
    clock.advance(30 * 60_000);
    const stale = await fetchIcs(url, { cache });
    expect(stale).toMatchObject({ ok: true, source: 'stale-cache', text: ICS });
    expect(stale.ok && stale.warning).toMatch(/answered HTTP 502; using the copy fetched 30 min ago/);
    clock.advance(7 * 3_600_000);
    expect(await fetchIcs(url, { cache })).toMatchObject({ ok: false, error: { code: 'ICS_HTTP_STATUS' } });
  });

  it('keeps at most maxEntries feeds, dropping the oldest', () => {
    const cache = memoryIcsCache({ clock: manualClock(), maxEntries: 2 });
    cache.set('a', 'A');
    cache.set('b', 'B');
    cache.set('c', 'C');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toEqual({ text: 'C', ageMs: 0 });
  });
});

describe('busy time across calendars', () => {
  it('keeps the busy time of the feeds that answered and names the one that did not', async () => {
    const good = route('/good.ics', (_, res) => res.writeHead(200).end(ICS));
    const dead = route('/dead.ics', (_, res) => res.writeHead(500).end());
    const got = await busyFromCalendars({
      urls: [good, dead],
      range: { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-08T00:00:00Z') },
      zone: 'Europe/Berlin',
      fetchIcs: (url) => fetchIcs(url, { timeoutMs: 2_000 }),
    });
    expect(got.busy.map((b) => b.start.toISOString())).toEqual(['2026-03-02T09:00:00.000Z']);
    expect(got.unknown).toEqual([`${base}/…`]);
    expect(got.warnings).toEqual([`${base}/… answered HTTP 500`]);
  });
});
