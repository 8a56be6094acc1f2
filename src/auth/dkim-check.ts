/**
 * Our own DKIM check with mailauth, for mail that no trusted server vouches for.
 *
 * Only DKIM is asked for: mail read over IMAP has no trustworthy connecting IP, so SPF (and a
 * DMARC pass earned through SPF) says nothing (TEST-STACK.md). mailauth still runs its SPF step,
 * but without `ip` it stops at once with `temperror` and makes no lookup. ARC, DMARC and BIMI are
 * off: they cost lookups and do not change the decision, which is a passing signature aligned
 * with the single From domain.
 */
import { authenticate, type DKIMResult, type DNSResolver } from 'mailauth';
import { isAligned } from './alignment.ts';
import type { DnsResolve, SenderAuthVerdict } from './sender-auth.model.ts';
import { fieldsFromLines } from './signed-fields.ts';

interface Author {
  address: string;
  domain: string;
}

const fail = (reason: string): SenderAuthVerdict => ({
  authenticated: false,
  method: 'dkim',
  domain: null,
  reason,
});

/** A signature that authenticates: it verified, covers the whole body, and its key is not in testing. */
function usable(r: DKIMResult): boolean {
  return r.status.result === 'pass' && !r.status.underSized && !r.status.testing;
}

/** Why the most relevant signature does not authenticate the author, as one sentence. */
function explain(signatures: DKIMResult[], author: Author): string {
  const aligned = signatures.filter((r) => isAligned(author.domain, r.signingDomain ?? ''));
  const r = aligned[0] ?? signatures.find((s) => s.status.result === 'pass') ?? signatures[0]!;
  const d = r.signingDomain ?? '(no domain)';
  const comment = r.status.comment ? ` (${r.status.comment})` : '';
  if (aligned.length === 0 && r.status.result === 'pass') {
    return `DKIM signature of ${d} verified, but ${d} is not aligned with the From domain ${author.domain}`;
  }
  if (aligned.length === 0) {
    return `No DKIM signature of ${author.domain}; the signature of ${d} did not verify either${comment}`;
  }
  if (r.status.underSized) {
    return `DKIM signature of ${d} leaves ${r.status.underSized} bytes of the body unsigned (l= tag)`;
  }
  if (r.status.testing) return `DKIM key of ${d} is marked as testing (t=y), which does not authenticate`;
  if (r.status.result === 'temperror') return `DKIM signature of ${d} could not be checked${comment}`;
  return `DKIM signature of ${d} did not verify: ${r.status.result}${comment}`;
}

/** Verifies the message's DKIM signatures against `author`'s domain. Rejects only on unexpected errors. */
export async function checkDkim(
  raw: Buffer,
  author: Author,
  resolve: DnsResolve,
): Promise<SenderAuthVerdict> {
  const result = await authenticate(raw, {
    resolver: resolve as DNSResolver,
    mta: 'deskhand',
    disableArc: true,
    disableDmarc: true,
    disableBimi: true,
    // RFC 8301 §3.1: rsa-sha1 must not be used for verifying.
    rejectRsaSha1: true,
  });
  // Defence against parser differentials: mailauth must have read the same single author as we did.
  const theirs = result.dkim.headerFrom.map((a) => a.toLowerCase());
  if (theirs.length !== 1 || theirs[0] !== author.address) {
    return fail(
      `The From header is ambiguous (read as ${theirs.join(', ') || 'empty'} by the DKIM verifier)`,
    );
  }
  // An unsigned message still yields one `dkim=none` row, without a signing domain.
  const signatures = result.dkim.results.filter((r) => r.signingDomain);
  if (signatures.length === 0) return fail('The message carries no DKIM signature');
  const good = signatures.find((r) => usable(r) && isAligned(author.domain, r.signingDomain!));
  if (!good) return fail(explain(signatures, author));
  return {
    authenticated: true,
    method: 'dkim',
    domain: author.domain,
    reason: `DKIM signature of ${good.signingDomain!.toLowerCase()} verified (aligned with From)`,
    signed: { fields: fieldsFromLines(good.signingHeaders?.headers ?? []), wholeBody: true },
  };
}
