import type { NormalizedMessage } from '../ingest/message.model.ts';
import type { ClassifiedAttachment } from './attachments.ts';
import type { AutomaticFacts } from './automatic-mail.ts';

/** What every category rule reads: the message and what earlier steps found in it. */
export interface CategoryInput {
  msg: NormalizedMessage;
  auto: AutomaticFacts;
  attachments: ClassifiedAttachment[];
  /** Subject and forwarded subject. */
  subjects: string;
  /** New text, forward note and forwarded text. */
  body: string;
  /** Only what the sender wrote now. */
  newText: string;
}
