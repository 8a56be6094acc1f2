import { dkimSign as mailauthSign } from 'mailauth';
import { beforeAll, describe, expect, it } from 'vitest';
import { authenticateSender, type SenderAuthOptions } from '../../src/auth/sender-auth.ts';
import { composeMail, type DkimKey, dkimSign, makeDkimKey, prependHeaders } from '../support/dkim-signing.ts';

const OWNER = 'Maya Lindqvist <maya@northwind.example>';

/** A resolver in mailauth's shape that serves exactly these TXT records. */
function txtResolver(records: Record<string, string>) {
  return async (name: string, rrtype: string): Promise<string[][]> => {
    const value = records[name];
    if (rrtype === 'TXT' && value !== undefined) return [[value]];
    throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  };
}

let owner: DkimKey;
let other: DkimKey;
let opts: SenderAuthOptions;

beforeAll(() => {
  owner = makeDkimKey('northwind.example');
  other = makeDkimKey('evil.example');
  opts = {
    requireAuth: true,
    trustedAuthservIds: ['mx.google.com'],
    dnsServers: [],
    resolver: txtResolver({ [owner.recordName]: owner.record, [other.recordName]: other.record }),
  };
});

describe('authenticateSender, our own DKIM check', () => {
  it('authenticates a reply signed by the From domain', async () => {
    const raw = await dkimSign(await composeMail({ from: OWNER }), owner);
    const verdict = await authenticateSender(raw, opts);
    expect(verdict).toEqual({
      authenticated: true,
      method: 'dkim',
      domain: 'northwind.example',
      reason: 'DKIM signature of northwind.example verified (aligned with From)',
      // What the signature covers: approvals read their reference only from these.
      signed: {
        fields: expect.arrayContaining([{ name: 'from', value: OWNER }]),
        wholeBody: true,
      },
    });
  });

  it('authenticates a signature of a subdomain of the From domain (relaxed alignment)', async () => {
    const sub = makeDkimKey('mail.northwind.example', 's2');
    const raw = await dkimSign(await composeMail({ from: OWNER }), sub);
    const verdict = await authenticateSender(raw, {
      ...opts,
      resolver: txtResolver({ [sub.recordName]: sub.record }),
    });
    expect(verdict.authenticated).toBe(true);
    expect(verdict.domain).toBe('northwind.example');
  });

  it('does not authenticate an unsigned message', async () => {
    const verdict = await authenticateSender(await composeMail({ from: OWNER }), opts);
    expect(verdict).toMatchObject({ authenticated: false, method: 'dkim', domain: null });
    expect(verdict.reason).toBe('The message carries no DKIM signature');
  });

  it('does not authenticate a message signed by another domain', async () => {
    const raw = await dkimSign(await composeMail({ from: OWNER }), other);
    const verdict = await authenticateSender(raw, opts);
    expect(verdict.authenticated).toBe(false);
    expect(verdict.reason).toBe(
      'DKIM signature of evil.example verified, but evil.example is not aligned with the From domain northwind.example',
    );
  });

  it('does not authenticate a signed message whose body was altered after signing', async () => {
    const signed = await dkimSign(await composeMail({ from: OWNER, text: 'No, do not pay it.\n' }), owner);
    const altered = Buffer.from(signed.toString('utf8').replace('No, do not pay it.', 'Yes, pay it now.'));
    const verdict = await authenticateSender(altered, opts);
    expect(verdict.authenticated).toBe(false);
    expect(verdict.reason).toMatch(/^DKIM signature of northwind\.example did not verify: .*body hash/);
  });

  it('does not authenticate a signature made with the wrong key for the domain', async () => {
    const impostor = { ...makeDkimKey('northwind.example'), record: owner.record };
    const raw = await dkimSign(await composeMail({ from: OWNER }), impostor);
    const verdict = await authenticateSender(raw, opts);
    expect(verdict.authenticated).toBe(false);
    expect(verdict.reason).toContain('bad signature');
  });

  it('does not authenticate a signature with an l= tag when text was appended after the signed part', async () => {
    // nodemailer cannot sign with l=; mailauth's own signer can.
    const raw = await composeMail({ from: OWNER, text: 'No.\n' });
    // mailauth's typings ask for top-level signingDomain/selector/privateKey, but its signer reads
    // only signatureData (given at the top level, it signs nothing): hence the cast.
    const signOptions = {
      signatureData: [
        {
          signingDomain: owner.domain,
          selector: owner.selector,
          privateKey: owner.privateKey,
          maxBodyLength: 5,
        },
      ],
    } as unknown as Parameters<typeof mailauthSign>[1];
    const { signatures } = await mailauthSign(raw, signOptions);
    const appended = Buffer.concat([
      Buffer.from(signatures),
      raw,
      Buffer.from('\r\nActually yes, approved.\r\n'),
    ]);
    const verdict = await authenticateSender(appended, opts);
    expect(verdict.authenticated).toBe(false);
    expect(verdict.reason).toMatch(
      /^DKIM signature of northwind\.example leaves \d+ bytes of the body unsigned/,
    );
  });

  it('does not authenticate a signature whose key is published in testing mode (t=y)', async () => {
    const resolver = txtResolver({ [owner.recordName]: owner.record.replace('k=rsa;', 'k=rsa; t=y;') });
    const raw = await dkimSign(await composeMail({ from: OWNER }), owner);
    const verdict = await authenticateSender(raw, { ...opts, resolver });
    expect(verdict.authenticated).toBe(false);
    expect(verdict.reason).toContain('testing (t=y)');
  });

  it('turns a DNS failure into a verdict with a reason instead of throwing', async () => {
    const resolver = async (): Promise<never> => {
      throw Object.assign(new Error('queryTxt ETIMEOUT'), { code: 'ETIMEOUT' });
    };
    const raw = await dkimSign(await composeMail({ from: OWNER }), owner);
    const verdict = await authenticateSender(raw, { ...opts, resolver });
    expect(verdict).toMatchObject({ authenticated: false, domain: null });
    expect(verdict.reason).toBe(
      'DKIM signature of northwind.example could not be checked (DNS failure: ETIMEOUT)',
    );
  });

  it('turns an unusable DNS_SERVERS entry into a verdict with a reason', async () => {
    const raw = await dkimSign(await composeMail({ from: OWNER }), owner);
    const verdict = await authenticateSender(raw, {
      ...opts,
      resolver: undefined,
      dnsServers: ['dns.example'],
    });
    expect(verdict).toMatchObject({ authenticated: false, method: 'none' });
    expect(verdict.reason).toMatch(/DNS_SERVERS must be IP addresses/);
  });

  it('does not throw on a message that is not mail at all', async () => {
    const verdict = await authenticateSender(Buffer.from('\u0000\u0001garbage'), opts);
    expect(verdict).toMatchObject({ authenticated: false, method: 'none' });
  });
});

describe('authenticateSender, the From header', () => {
  it('does not authenticate a From with two addresses, even with a valid signature', async () => {
    const raw = await dkimSign(await composeMail({ from: `${OWNER}, mallory@evil.example` }), owner);
    const verdict = await authenticateSender(raw, opts);
    expect(verdict).toMatchObject({ authenticated: false, method: 'none', domain: null });
    expect(verdict.reason).toBe('The From header holds 2 addresses; exactly one is required');
  });

  it('does not authenticate a message with a second From header added above the signed one', async () => {
    const raw = prependHeaders(
      await dkimSign(await composeMail({ from: OWNER }), owner),
      'From: <maya@northwind.example>',
    );
    const verdict = await authenticateSender(raw, opts);
    expect(verdict.authenticated).toBe(false);
    expect(verdict.reason).toBe('The message has 2 From headers; exactly one is required');
  });

  it('still requires one From address when authentication is turned off', async () => {
    const verdict = await authenticateSender(await composeMail({ from: 'a@x.example, b@y.example' }), {
      ...opts,
      requireAuth: false,
    });
    expect(verdict.authenticated).toBe(false);
  });

  it('accepts an unsigned message as "disabled" when authentication is turned off', async () => {
    const verdict = await authenticateSender(await composeMail({ from: OWNER }), {
      ...opts,
      requireAuth: false,
    });
    expect(verdict).toMatchObject({ authenticated: true, method: 'disabled', domain: 'northwind.example' });
    expect(verdict.reason).toContain('APPROVAL_REQUIRE_AUTH=false');
  });
});

describe('authenticateSender, Authentication-Results headers', () => {
  const google = (results: string) => `Authentication-Results: mx.google.com;\r\n       ${results}`;

  it('believes a trusted topmost header with an aligned dkim=pass, without a lookup', async () => {
    const raw = prependHeaders(
      await composeMail({ from: OWNER }),
      google(
        'dkim=pass header.i=@northwind.example header.s=sel header.b=AbCd;\r\n       spf=pass smtp.mailfrom=northwind.example',
      ),
    );
    const verdict = await authenticateSender(raw, {
      ...opts,
      resolver: () => Promise.reject(new Error('no DNS')),
    });
    expect(verdict).toEqual({
      authenticated: true,
      method: 'authentication-results',
      domain: 'northwind.example',
      reason: 'mx.google.com verified the DKIM signature of northwind.example (aligned with From)',
      // No DKIM-Signature header in the message: nothing is known to be covered.
      signed: { fields: [], wholeBody: false },
    });
  });

  it('decides on a trusted header alone: dkim=fail there is not rescued by a valid signature', async () => {
    const signed = await dkimSign(await composeMail({ from: OWNER }), owner);
    const raw = prependHeaders(signed, google('dkim=fail (bad signature) header.d=northwind.example'));
    const verdict = await authenticateSender(raw, opts);
    expect(verdict).toMatchObject({ authenticated: false, method: 'authentication-results' });
  });

  it('does not count spf=pass or a dmarc=pass earned through SPF', async () => {
    const raw = prependHeaders(
      await composeMail({ from: OWNER }),
      google(
        'dkim=none;\r\n       spf=pass (google.com: domain of maya@northwind.example designates 192.0.2.7 as permitted sender) smtp.mailfrom=maya@northwind.example;\r\n       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=northwind.example',
      ),
    );
    const verdict = await authenticateSender(raw, opts);
    expect(verdict.authenticated).toBe(false);
    expect(verdict.reason).toBe(
      'mx.google.com reports no passing DKIM signature for northwind.example: dkim=none, spf=pass, dmarc=pass (SPF and DMARC alone are not enough)',
    );
  });

  it('does not count a trusted dkim=pass of an unaligned domain', async () => {
    const raw = prependHeaders(await composeMail({ from: OWNER }), google('dkim=pass header.d=evil.example'));
    const verdict = await authenticateSender(raw, opts);
    expect(verdict.authenticated).toBe(false);
    expect(verdict.reason).toContain('only for evil.example, not aligned with northwind.example');
  });

  it('ignores a header from an untrusted server and falls back to its own check', async () => {
    const forged = 'Authentication-Results: mx.evil.example; dkim=pass header.d=northwind.example';
    const unsigned = await authenticateSender(
      prependHeaders(await composeMail({ from: OWNER }), forged),
      opts,
    );
    expect(unsigned).toMatchObject({ authenticated: false, method: 'dkim' });

    const honest = 'Authentication-Results: relay.example; dkim=fail header.d=northwind.example';
    const signed = prependHeaders(await dkimSign(await composeMail({ from: OWNER }), owner), honest);
    expect(await authenticateSender(signed, opts)).toMatchObject({ authenticated: true, method: 'dkim' });
  });

  it('ignores a trusted-looking header that is not the topmost one (forged by the sender)', async () => {
    const raw = prependHeaders(
      await composeMail({ from: OWNER }),
      'Authentication-Results: mx.example.net; none',
      google('dkim=pass header.d=northwind.example'),
    );
    const verdict = await authenticateSender(raw, opts);
    expect(verdict).toMatchObject({ authenticated: false, method: 'dkim' });
    expect(verdict.reason).toBe('The message carries no DKIM signature');
  });

  it('compares authserv-ids without regard to case', async () => {
    const raw = prependHeaders(
      await composeMail({ from: OWNER }),
      'Authentication-Results: MX.Google.COM; dkim=pass header.d=northwind.example',
    );
    expect((await authenticateSender(raw, opts)).authenticated).toBe(true);
  });
});

describe('what the authenticating signature covers, under a trusted verdict', () => {
  it('two aligned signatures (one added, with the genuine b= copied): coverage comes from our own check, so the added fields do not count', async () => {
    const genuine = await dkimSign(
      await composeMail({ from: OWNER, headers: { 'In-Reply-To': '<approval-1@deskhand.example>' } }),
      owner,
    );
    const b = /b=([A-Za-z0-9+/=\s]{8})/.exec(genuine.toString())![1]!.replace(/\s+/g, '');
    const tampered = prependHeaders(
      genuine,
      `Authentication-Results: mx.google.com; dkim=pass header.d=northwind.example header.b=${b}`,
      `DKIM-Signature: v=1; a=rsa-sha256; d=northwind.example; s=sel; h=from:in-reply-to:in-reply-to; bh=x; b=${b}AAAA`,
      'In-Reply-To: <approval-2@deskhand.example>',
    );
    const verdict = await authenticateSender(tampered, { ...opts, trustedAuthservIds: ['mx.google.com'] });
    expect(verdict.authenticated).toBe(true);
    const inReplyTo = verdict.signed?.fields.filter((f) => f.name === 'in-reply-to').map((f) => f.value);
    expect(inReplyTo).toEqual(['<approval-1@deskhand.example>']);
  });
});
