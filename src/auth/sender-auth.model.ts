/** Types of sender authentication (see sender-auth.ts for the rules). */
import type { HeaderField } from './header-fields.ts';

/** mailauth's resolver shape: like `dns.promises.resolve(name, rrtype)`, rejecting with `err.code` (`ENOTFOUND`…). */
export type DnsResolve = (name: string, rrtype: string) => Promise<unknown>;

export interface SenderAuthOptions {
  /** APPROVAL_REQUIRE_AUTH. `false` accepts any sender whose From header is well formed. */
  requireAuth: boolean;
  /**
   * TRUSTED_AUTHSERV_IDS, e.g. `['mx.google.com']`. Only list servers that always add their own
   * Authentication-Results on top of every message they deliver to this mailbox: a topmost header
   * with a trusted id is believed without a check of our own.
   */
  trustedAuthservIds: readonly string[];
  /** DNS_SERVERS: `host`, `host:port` or `[v6]:port`, IP addresses only; empty = the system's resolvers. */
  dnsServers: readonly string[];
  /** Replaces the DNS lookups (unit tests); `dnsServers` is then ignored. */
  resolver?: DnsResolve;
}

export interface SenderAuthVerdict {
  authenticated: boolean;
  method: 'disabled' | 'authentication-results' | 'dkim' | 'none';
  /** The From domain that was authenticated, or null. */
  domain: string | null;
  /** One sentence, journaled and shown to the owner, e.g. "DKIM signature of northwind.example verified (aligned with From)". */
  reason: string;
  /**
   * What the authenticating DKIM signature covers: the header field instances it signed (RFC 6376
   * §5.4.2, bottom-most per name) and whether it signed the whole body. Absent when nothing was
   * verified (not authenticated, or APPROVAL_REQUIRE_AUTH=false): approvals then read the headers
   * as they are.
   */
  signed?: { fields: HeaderField[]; wholeBody: boolean };
}
