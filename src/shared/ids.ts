import { createHash, randomBytes } from 'node:crypto';

/** Lower-case hex sha256 of bytes or text. */
export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** An unguessable token (128 bits, base32-ish lower-case), safe in Message-IDs and plus-addresses. */
export function randomToken(bytes = 16): string {
  return randomBytes(bytes).toString('base64url').replace(/[-_]/g, 'x').toLowerCase();
}

/** A Message-ID (without brackets) on the given domain, RFC 5322 §3.6.4. */
export function newMessageId(domain: string, prefix = 'dh'): string {
  return `${prefix}.${Date.now().toString(36)}.${randomToken()}@${domain}`;
}
