/**
 * Is this message really from who its From header says? deskhand takes standing instructions and
 * approvals only from the owner's authenticated mail (DESIGN.md "Safety model", RELIABILITY.md
 * items 9 and 12).
 *
 * The rules, in order:
 * 1. The From header holds exactly one address, in exactly one From field — else not authenticated.
 * 2. `requireAuth: false` (APPROVAL_REQUIRE_AUTH=false): authenticated, method `disabled`.
 * 3. The topmost Authentication-Results header, if its authserv-id is trusted, decides alone:
 *    an aligned `dkim=pass` authenticates, anything else does not (trusted-results.ts).
 * 4. Otherwise our own DKIM check with mailauth over DNS_SERVERS (dkim-check.ts).
 *
 * `method` names what decided: `disabled`, `authentication-results`, `dkim`, or `none` when no
 * check could be made (malformed From, an error, the time limit). Never throws: every failure
 * is a verdict with `authenticated: false` and a reason the owner can act on.
 */
import { describeError } from '../shared/errors.ts';
import { checkDkim } from './dkim-check.ts';
import { createDnsResolve } from './dns-resolver.ts';
import { singleFromAddress } from './from-address.ts';
import { readHeaderFields } from './header-fields.ts';
import type { SenderAuthOptions, SenderAuthVerdict } from './sender-auth.model.ts';
import { verdictFromTrustedResults } from './trusted-results.ts';

export type { DnsResolve, SenderAuthOptions, SenderAuthVerdict } from './sender-auth.model.ts';

/** The whole check gives up after this long (a resolver that never answers must not hang a job). */
const DEADLINE_MS = 15_000;

const unauthenticated = (reason: string): SenderAuthVerdict => ({
  authenticated: false,
  method: 'none',
  domain: null,
  reason,
});

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Authenticates the sender of `raw` (the message as received). Never throws. */
export async function authenticateSender(raw: Buffer, opts: SenderAuthOptions): Promise<SenderAuthVerdict> {
  try {
    const fields = readHeaderFields(raw);
    const from = singleFromAddress(fields);
    if (!from.ok) return unauthenticated(from.reason);
    if (!opts.requireAuth) {
      return {
        authenticated: true,
        method: 'disabled',
        domain: from.domain,
        reason: `Sender authentication is turned off (APPROVAL_REQUIRE_AUTH=false); From ${from.domain} is taken as is`,
      };
    }
    const resolve = opts.resolver ?? createDnsResolve(opts.dnsServers);
    const trusted = verdictFromTrustedResults(fields, from.domain, opts.trustedAuthservIds);
    const signatures = fields.some((f) => f.name === 'dkim-signature');
    if (trusted?.authenticated && trusted.signed?.fields.length === 0 && signatures) {
      // The trusted server vouched for a signature, but which one (two aligned signatures, or
      // none we could match) and so what it covers is unknown: our own check tells, if DNS answers.
      const own = await withDeadline(checkDkim(raw, from, resolve), DEADLINE_MS).catch(() => null);
      if (own?.authenticated && own.signed) return { ...trusted, signed: own.signed };
    }
    if (trusted) return trusted;
    return await withDeadline(checkDkim(raw, from, resolve), DEADLINE_MS);
  } catch (err) {
    return unauthenticated(`The sender could not be authenticated: ${describeError(err)}`);
  }
}
