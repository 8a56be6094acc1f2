import { DeskhandError } from '../../shared/errors.ts';

/** One message of a source the shadow run reads, with where it sits in that source. */
export interface PositionedMessage {
  /** For reports: a file name, "mbox #12", "INBOX UID 4711". */
  name: string;
  /** Increases through the source: the ordinal of a file or mbox message, the UID over IMAP. */
  position: number;
  /** The message; only its first bytes when `oversize`. */
  raw: Buffer;
  /** Its full size in the source. */
  size: number;
  /** SHA-256 (hex) of the whole message. */
  sha256: string;
  /** Larger than the reader's byte limit: `raw` holds only the beginning, enough for the headers. */
  oversize: boolean;
  /** Something wrong with how the source held it (e.g. an mbox cut off mid-message). */
  warning: string | null;
  internalDate: Date | null;
  /** How far through the source, 0..1, when the source can tell (bytes of an mbox). */
  fraction: number | null;
}

/** A mail source opened for reading: files (.eml, directory, Maildir, mbox) or an IMAP folder. */
export interface OpenedSource {
  kind: 'eml' | 'directory' | 'maildir' | 'mbox' | 'imap';
  /** Stable identity of the source, for resuming (an absolute path, a mailbox key). */
  key: string;
  /** For people: what is being read. */
  label: string;
  /** Positions are valid only with this value (IMAP UIDVALIDITY; "1" for files). */
  uidValidity: string;
  /** How many messages lie after `after`, when the source knows without reading them. */
  count(after: number): Promise<number | null>;
  /** The messages after position `after`, in order, one in memory at a time. */
  read(after: number): AsyncIterable<PositionedMessage>;
  close(): Promise<void>;
}

/** A source that does not exist, cannot be read, or holds no mail. */
export class SourceError extends DeskhandError {
  constructor(message: string, cause?: unknown) {
    super('SOURCE_UNREADABLE', message, { cause });
    this.name = 'SourceError';
  }
}
