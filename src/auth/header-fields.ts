/**
 * The header section of a raw message as an ordered list of fields, topmost first. Pure.
 *
 * Order matters for authentication: a receiving server prepends its Authentication-Results
 * (RFC 8601 §5), so only the topmost one can be the server's own; anything below may have
 * been written by the sender.
 */

export interface HeaderField {
  /** Lower-cased field name. */
  name: string;
  /** Unfolded value (RFC 5322 §2.2.3), leading and trailing whitespace removed. */
  value: string;
}

/** Beyond this many bytes we stop looking for the end of the header section (hostile input). */
const MAX_HEADER_BYTES = 512 * 1024;

/** The header fields of `raw`, in message order; lines that are not fields are skipped. Never throws. */
export function readHeaderFields(raw: Buffer): HeaderField[] {
  const head = raw.subarray(0, MAX_HEADER_BYTES).toString('utf8');
  const end = head.search(/\r?\n\r?\n/);
  const block = end === -1 ? head : head.slice(0, end);
  const fields: HeaderField[] = [];
  for (const line of block.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    // RFC 5322 §3.6.8: a field name is printable ASCII without ':' or spaces.
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) continue;
    fields.push({ name, value: line.slice(colon + 1).trim() });
  }
  return fields;
}

/** Every value of the field `name` (lower case), topmost first. */
export function fieldValues(fields: readonly HeaderField[], name: string): string[] {
  return fields.filter((f) => f.name === name).map((f) => f.value);
}
