import type { Clock } from '../../src/shared/clock.ts';
import { uniqueDomain } from '../support/demo-mail.ts';
import { type DkimKey, makeDkimKey } from '../support/dkim-signing.ts';
import { type LiveDeskhand, liveDeskhand } from '../support/live.ts';
import { startDnsServer } from './stack.ts';

/**
 * deskhand on the test stack for Maya Chen at a fresh domain whose DKIM key a local DNS server
 * publishes (TEST-STACK.md), so her signed mail verifies; started. The caller stops `dh` and `dns`.
 */
export async function ownerOnStack(o: {
  prefix: string;
  clock?: Clock;
  env?: Record<string, string>;
}): Promise<{
  dh: LiveDeskhand;
  dns: { server: string; stop: () => Promise<void> };
  owner: string;
  assistant: string;
  key: DkimKey;
}> {
  const domain = uniqueDomain(o.prefix);
  const key = makeDkimKey(domain, 'dh2026');
  const dns = await startDnsServer([
    { name: key.recordName, value: key.record },
    { name: `_dmarc.${domain}`, value: 'v=DMARC1; p=reject' },
  ]);
  const owner = `maya@${domain}`;
  const assistant = `assistant@${domain}`;
  const dh = await liveDeskhand({
    assistant,
    owner,
    ...(o.clock ? { clock: o.clock } : {}),
    env: {
      TEAM_DOMAINS: domain,
      OWNER_NAME: 'Maya Chen',
      DNS_SERVERS: dns.server,
      TRUSTED_AUTHSERV_IDS: '',
      ...o.env,
    },
  });
  await dh.start();
  return { dh, dns, owner, assistant, key };
}
