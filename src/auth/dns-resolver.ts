/**
 * DNS lookups for DKIM keys through the configured resolvers (DNS_SERVERS), in the shape
 * mailauth expects: `(name, rrtype) => Promise<records>`, rejecting with `err.code`.
 *
 * node:dns's `Resolver` accepts `ip`, `ip:port` and `[v6]:port` in `setServers` (not host
 * names); an entry it refuses makes `createDnsResolve` throw a DeskhandError naming it.
 */
import { Resolver } from 'node:dns/promises';
import { DeskhandError } from '../shared/errors.ts';
import type { DnsResolve } from './sender-auth.model.ts';

/** Per-query timeout and attempts: a DKIM check must give up well before a job's lock expires. */
const QUERY_TIMEOUT_MS = 2500;
const QUERY_TRIES = 2;

/** A mailauth-shaped resolver over `servers` (empty: the system's resolvers). */
export function createDnsResolve(servers: readonly string[]): DnsResolve {
  const resolver = new Resolver({ timeout: QUERY_TIMEOUT_MS, tries: QUERY_TRIES });
  const list = servers.map((s) => s.trim()).filter(Boolean);
  if (list.length > 0) {
    try {
      resolver.setServers(list);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      throw new DeskhandError('DNS_SERVERS_INVALID', `DNS_SERVERS must be IP addresses (${detail})`, {
        context: { servers: list },
        cause: err,
      });
    }
  }
  return (name, rrtype) => resolver.resolve(name, rrtype);
}
