/**
 * The verdict of a trusted receiving server, read from the topmost Authentication-Results
 * header. Pure.
 *
 * Only the topmost header can have been written by the server that delivered the message to
 * us (RFC 8601 §5: it is prepended, and servers should remove forged copies bearing their own
 * id); every header below it may have come from the sender, so they are never read (RELIABILITY.md
 * item 12). From a trusted header only an aligned `dkim=pass` counts: `spf=pass` says nothing
 * about the From domain, and `dmarc=pass` may have been earned through SPF alone.
 */
import { identityDomain, isAligned } from './alignment.ts';
import { parseAuthenticationResults } from './authentication-results.ts';
import { fieldValues, type HeaderField } from './header-fields.ts';
import type { SenderAuthVerdict } from './sender-auth.model.ts';
import { coveredByAlignedSignature } from './signed-fields.ts';

/** The passing DKIM results: signing domain (`header.d`, else the domain of `header.i`) and `header.b`. */
function passingDkim(
  results: ReturnType<typeof parseAuthenticationResults>,
): Array<{ domain: string; b: string | null }> {
  return (results?.results ?? [])
    .filter((r) => r.method === 'dkim' && r.result === 'pass')
    .map((r) => ({
      domain: r.props['header.d'] ?? identityDomain(r.props['header.i'] ?? ''),
      b: r.props['header.b'] ?? null,
    }))
    .filter((d) => d.domain !== '');
}

/**
 * The verdict of the topmost Authentication-Results header when its authserv-id is trusted;
 * null when there is none or it is not trusted (the caller then checks DKIM itself).
 */
export function verdictFromTrustedResults(
  fields: readonly HeaderField[],
  fromDomain: string,
  trustedIds: readonly string[],
): SenderAuthVerdict | null {
  const topmost = fieldValues(fields, 'authentication-results')[0];
  if (topmost === undefined) return null;
  const parsed = parseAuthenticationResults(topmost);
  const trusted = new Set(trustedIds.map((id) => id.trim().toLowerCase()).filter(Boolean));
  if (!parsed || !trusted.has(parsed.authservId)) return null;

  const server = parsed.authservId;
  const passingResults = passingDkim(parsed);
  const passing = passingResults.map((p) => p.domain);
  const aligned = passingResults.find((p) => isAligned(fromDomain, p.domain));
  if (aligned) {
    return {
      authenticated: true,
      method: 'authentication-results',
      domain: fromDomain,
      reason: `${server} verified the DKIM signature of ${aligned.domain.toLowerCase()} (aligned with From)`,
      signed: coveredByAlignedSignature(fields, fromDomain, aligned.b) ?? { fields: [], wholeBody: false },
    };
  }
  const why =
    passing.length > 0
      ? `only for ${passing.join(', ')}, not aligned with ${fromDomain}`
      : `for ${fromDomain}: ${summarize(parsed.results)}`;
  return {
    authenticated: false,
    method: 'authentication-results',
    domain: null,
    reason: `${server} reports no passing DKIM signature ${why}`,
  };
}

function summarize(results: Array<{ method: string; result: string }>): string {
  if (results.length === 0) return 'no results';
  const text = results.map((r) => `${r.method}=${r.result}`).join(', ');
  const spfOrDmarc = results.some((r) => r.method === 'spf' || r.method === 'dmarc');
  return spfOrDmarc ? `${text} (SPF and DMARC alone are not enough)` : text;
}
