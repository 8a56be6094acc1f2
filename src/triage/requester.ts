import type { Address, NormalizedMessage } from '../ingest/message.model.ts';
import { bareAddress, domainOf, isAssistantAddress, isWithinDomain } from './address.ts';
import { type Decision, decision } from './decision.ts';
import type { Requester, TriageContext } from './triage.model.ts';

/**
 * Who asked: the owner (exact From address), the team (From's domain is a team domain or a
 * subdomain of one) or anyone else. From is only a claim here; decisions that matter are
 * verified later (DKIM, approvals), so this label grants nothing by itself.
 */
export function decideRequester(msg: NormalizedMessage, ctx: TriageContext): Decision<Requester> {
  const from = msg.from?.address ? bareAddress(msg.from.address) : '';
  if (from === '') return decision('external', 0.9, 'no From address: treated as external');
  if (from === bareAddress(ctx.ownerEmail)) return decision('owner', 0.99, `From ${from} is the owner`);
  const domain = domainOf(from);
  const team = ctx.teamDomains.find((d) => isWithinDomain(domain, d));
  if (team !== undefined) return decision('team', 0.95, `From ${from} is in team domain ${team}`);
  return decision('external', 0.95, `From ${from} is outside the team domains`);
}

/** From, To, Cc and Reply-To, deduplicated by address, in that order, without the assistant. */
export function participantsOf(msg: NormalizedMessage, ctx: TriageContext): Address[] {
  const all = [...(msg.from ? [msg.from] : []), ...msg.to, ...msg.cc, ...msg.replyTo];
  const byAddress = new Map<string, Address>();
  for (const a of all) {
    const address = bareAddress(a.address);
    if (address === '' || isAssistantAddress(address, ctx.assistantEmail)) continue;
    const seen = byAddress.get(address);
    if (seen === undefined) byAddress.set(address, { name: a.name, address });
    else if (seen.name === '' && a.name !== '') seen.name = a.name;
  }
  return [...byAddress.values()];
}
