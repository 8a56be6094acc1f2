import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateSender, type SenderAuthOptions } from '../../src/auth/sender-auth.ts';
import { composeMail, type DkimKey, dkimSign, makeDkimKey } from '../support/dkim-signing.ts';
import { freePort, sendRaw, startDnsServer, uniqueAddress, waitForMessages } from './stack.ts';

/**
 * Sender authentication for real: the owner's public key is published by a dnsmasq of the test's
 * own, mail is DKIM-signed by nodemailer, and deskhand looks the key up through DNS_SERVERS.
 */
describe('sender authentication against a real DNS server', () => {
  const domain = 'northwind-auth.example';
  const owner = `Maya Lindqvist <maya@${domain}>`;
  let key: DkimKey;
  let dns: { server: string; stop: () => Promise<void> };
  let opts: SenderAuthOptions;

  beforeAll(async () => {
    key = makeDkimKey(domain, 'dh2024');
    dns = await startDnsServer([
      { name: key.recordName, value: key.record },
      { name: `_dmarc.${domain}`, value: 'v=DMARC1; p=reject' },
    ]);
    opts = { requireAuth: true, trustedAuthservIds: [], dnsServers: [dns.server] };
  });
  afterAll(async () => {
    await dns?.stop();
  });

  it('authenticates a reply signed with the key published in DNS', async () => {
    const raw = await dkimSign(await composeMail({ from: owner }), key);
    expect(await authenticateSender(raw, opts)).toEqual({
      authenticated: true,
      method: 'dkim',
      domain,
      reason: `DKIM signature of ${domain} verified (aligned with From)`,
      signed: { fields: expect.arrayContaining([{ name: 'from', value: owner }]), wholeBody: true },
    });
  });

  it('does not authenticate the same reply unsigned', async () => {
    const verdict = await authenticateSender(await composeMail({ from: owner }), opts);
    expect(verdict).toMatchObject({ authenticated: false, domain: null });
    expect(verdict.reason).toBe('The message carries no DKIM signature');
  });

  it('does not authenticate a reply signed with a key that is not the published one', async () => {
    const raw = await dkimSign(await composeMail({ from: owner }), makeDkimKey(domain, 'dh2024'));
    const verdict = await authenticateSender(raw, opts);
    expect(verdict.authenticated).toBe(false);
    expect(verdict.reason).toContain('bad signature');
  });

  it('still authenticates the signed reply after delivery through Postfix and Dovecot, as read over IMAP', async () => {
    const to = uniqueAddress('assistant');
    const subject = `Re: approve ${Date.now().toString(36)}`;
    const raw = await dkimSign(await composeMail({ from: owner, to, subject }), key);
    await sendRaw({ from: `maya@${domain}`, to: [to] }, raw);
    const [received] = await waitForMessages(to, 'INBOX', (m) => m.subject === subject, 20_000);
    expect(received!.header('received')).toBeDefined();
    const verdict = await authenticateSender(Buffer.from(received!.source, 'utf8'), opts);
    expect(verdict).toMatchObject({ authenticated: true, method: 'dkim', domain });
  });

  it('gives a reason, not an exception, when the DNS server does not answer', async () => {
    const raw = await dkimSign(await composeMail({ from: owner }), key);
    const verdict = await authenticateSender(raw, { ...opts, dnsServers: [`127.0.0.1:${await freePort()}`] });
    expect(verdict).toMatchObject({ authenticated: false, domain: null });
    expect(verdict.reason).toMatch(
      /^DKIM signature of northwind-auth\.example could not be checked \(DNS failure: E/,
    );
  });
});
