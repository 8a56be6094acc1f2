import { createHash, type Hash } from 'node:crypto';

/** One message cut out of an mbox. */
export interface MboxMessage {
  /** 1-based ordinal in the file. */
  index: number;
  /** Byte offset of its From_ line in the file. */
  offset: number;
  /** Byte offset just after it: how far through the file the reader is. */
  end: number;
  /** The message as written, `>From ` lines un-escaped, the From_ line and separator blank line removed. */
  raw: Buffer;
  /** Its full size; larger than `raw` when it was cut at `maxBytes`. */
  size: number;
  /** SHA-256 (hex) of the whole message, also when `raw` was cut. */
  sha256: string;
  /** Something wrong with how the file held it (truncated file, text before the first From_ line). */
  warning: string | null;
}

export interface MboxSplitOptions {
  /** Messages with index ≤ skip are passed over without being buffered (resume). Default 0. */
  skip?: number;
  /** At most this many bytes of one message are kept; the rest is only counted and hashed. */
  maxBytes?: number;
}

/** Longer than any real From_ line: a "line" this long is content, never a separator (RFC 4155). */
const MAX_SEPARATOR_LINE = 64 * 1024;
const FROM = Buffer.from('From ');

/**
 * RFC 4155's From_ line: "From ", the envelope sender, an asctime timestamp. Only a line that
 * follows an empty line (or starts the file) and carries that date counts, so an unescaped
 * "From here on, the meeting is at 10 am." in an mboxo file does not split a message.
 */
export function isFromLine(line: string): boolean {
  // "From sender Tue Mar 17 12:00:00 2026" (asctime, RFC 4155), also with a zone or the year first.
  return /^From \S+[ \t]+(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[ \t]+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[ \t]+\d{1,2}[ \t]+\d{1,2}:\d{2}(?::\d{2})?\b.*\d{4}/.test(
    line,
  );
}

const isBlank = (line: Buffer) =>
  (line.length === 1 && line[0] === 0x0a) || (line.length === 2 && line[0] === 0x0d && line[1] === 0x0a);

/** `>From `, `>>From `… at a line start: mboxrd escaping; one `>` is removed (mboxo's `>From ` too). */
function unescapeLine(line: Buffer): Buffer {
  if (line[0] !== 0x3e) return line;
  let i = 0;
  while (line[i] === 0x3e) i++;
  return line.subarray(i, i + 5).equals(FROM) ? line.subarray(1) : line;
}

/**
 * Splits an mbox (mboxo or mboxrd, LF or CRLF line ends) into messages as bytes arrive, holding
 * one message and one partial line at a time. Feed chunks with `push`, then call `end` once.
 * Never throws on malformed input: a file cut off mid-message yields what is there, with a warning.
 */
export class MboxSplitter {
  private readonly skip: number;
  private readonly maxBytes: number;
  private carry: Buffer = Buffer.alloc(0);
  /** The carried bytes continue a line already passed on (a pathological line longer than MAX_SEPARATOR_LINE). */
  private midLine = false;
  private pos = 0;
  private index = 0;
  private parts: Buffer[] = [];
  private kept = 0;
  private size = 0;
  private hash: Hash = createHash('sha256');
  /** A blank line held back: it belongs to the mbox if a From_ line follows, else to the message. */
  private pendingBlank: Buffer | null = null;
  private start = 0;
  private sawSeparator = false;
  private prevBlank = true;

  constructor(opts: MboxSplitOptions = {}) {
    this.skip = opts.skip ?? 0;
    this.maxBytes = opts.maxBytes ?? Number.POSITIVE_INFINITY;
  }

  push(chunk: Buffer): MboxMessage[] {
    const out: MboxMessage[] = [];
    let buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    let from = 0;
    for (let nl = buf.indexOf(0x0a, from); nl !== -1; nl = buf.indexOf(0x0a, from)) {
      this.line(buf.subarray(from, nl + 1), out);
      from = nl + 1;
    }
    buf = buf.subarray(from);
    if (buf.length > MAX_SEPARATOR_LINE) {
      this.line(buf, out);
      buf = Buffer.alloc(0);
    }
    // A copy: the chunk's memory must not be kept alive by a small remainder.
    this.carry = Buffer.from(buf);
    return out;
  }

  /** The last message, if any. Warns when the file did not end with a line end (cut off). */
  end(): MboxMessage[] {
    const out: MboxMessage[] = [];
    const truncated = this.carry.length > 0 || this.midLine;
    if (this.carry.length) this.line(this.carry, out);
    this.carry = Buffer.alloc(0);
    // The blank line that ends the file ends the last message, as before any From_ line.
    this.pendingBlank = null;
    this.finish(
      out,
      truncated ? 'the mbox ends in the middle of a line: this message may be truncated' : null,
    );
    return out;
  }

  private line(line: Buffer, out: MboxMessage[]): void {
    const atStart = !this.midLine;
    this.midLine = line[line.length - 1] !== 0x0a;
    const offset = this.pos;
    this.pos += line.length;
    if (
      atStart &&
      this.prevBlank &&
      line.length <= MAX_SEPARATOR_LINE &&
      line.subarray(0, 5).equals(FROM) &&
      (offset === 0 || isFromLine(line.toString('latin1')))
    ) {
      // The blank line before a From_ line belongs to the mbox, not to the message (RFC 4155).
      this.pendingBlank = null;
      this.finish(out, null);
      this.index++;
      this.start = offset;
      this.sawSeparator = true;
      this.prevBlank = false;
      return;
    }
    this.prevBlank = atStart && isBlank(line);
    if (this.pendingBlank) this.add(this.pendingBlank);
    this.pendingBlank = null;
    if (this.prevBlank) this.pendingBlank = line;
    else this.add(atStart ? unescapeLine(line) : line);
  }

  private add(line: Buffer): void {
    if (this.index === 0 && !this.sawSeparator) this.index = 1; // text before any From_ line
    this.size += line.length;
    if (this.index <= this.skip) return;
    this.hash.update(line);
    if (this.kept < this.maxBytes) {
      const piece = line.subarray(0, this.maxBytes - this.kept);
      this.parts.push(piece.length === line.length ? line : Buffer.from(piece));
      this.kept += piece.length;
    }
  }

  /** Emits the message read so far (callers have dropped the held-back blank line). */
  private finish(out: MboxMessage[], warning: string | null): void {
    if (this.index > this.skip && this.size > 0) {
      out.push({
        index: this.index,
        offset: this.start,
        end: this.pos,
        raw: Buffer.concat(this.parts),
        size: this.size,
        sha256: this.hash.digest('hex'),
        warning:
          warning ??
          (this.sawSeparator ? null : 'text before the first From_ line (is this really an mbox?)'),
      });
      this.hash = createHash('sha256');
    }
    this.parts = [];
    this.kept = 0;
    this.size = 0;
  }
}
