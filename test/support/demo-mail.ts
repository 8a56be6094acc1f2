import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(import.meta.dirname, '../../examples/demo-mailbox');

/** A demo-mailbox message with its people moved to `domain` (so each test has its own mailboxes). */
export function demoMessage(file: string, domain: string): Buffer {
  return Buffer.from(readFileSync(join(DIR, file), 'utf8').replaceAll('northwind.example', domain));
}

export function uniqueDomain(prefix = 'nw'): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}.example`;
}
