/** Types of sender authentication (see sender-auth.ts for the rules). */

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
}
