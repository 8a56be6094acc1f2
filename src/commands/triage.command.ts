import { readFile } from 'node:fs/promises';
import type { Config } from '../config/config.ts';
import { parseMessage } from '../ingest/parse.ts';
import { triageToContractJson } from '../triage/triage.json.ts';
import { triageMessage } from '../triage/triage.rules.ts';

/** `deskhand triage <file.eml> [--json]`: reads one message and prints the triage decision. */
export async function triageCommand(config: Config, file: string, opts: { json?: boolean }): Promise<number> {
  const raw = await readFile(file);
  const msg = await parseMessage(raw);
  const result = triageMessage(msg, {
    ownerEmail: config.owner.email,
    assistantEmail: config.assistant.email,
    teamDomains: config.teamDomains,
  });
  const json = triageToContractJson(result);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `${file}`,
    `  from:       ${json.from} (${json.requester})`,
    `  addressing: ${json.addressing}`,
    `  category:   ${json.category}${json.automatic ? ' (automatic mail: never answered)' : ''}`,
    `  why:        ${json.reasons.join('; ')}`,
  ];
  if (json.forwarded)
    lines.push(`  forwarded:  from ${json.forwarded.from ?? 'unknown'}, "${json.forwarded.subject ?? ''}"`);
  if (json.replyText) lines.push(`  new text:   ${json.replyText.slice(0, 200).replace(/\n/g, ' ')}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
