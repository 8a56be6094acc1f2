/**
 * The two crisp libraries with no fixes, for comparison: what our wrappers add.
 * Both can run for seconds to minutes on some inputs (email-reply-parser on the
 * 767 KB github fixture, email-forward-parser on long blank runs), so large
 * inputs go to a worker that is stopped after `BARE_TIMEOUT_MS`.
 */
import { Worker } from 'node:worker_threads';
import EmailForwardParser from 'email-forward-parser';
import EmailReplyParser from 'email-reply-parser';
import type { ForwardView } from './forward-score.ts';

export const BARE_TIMEOUT_MS = 5000;

const forwardParser = new EmailForwardParser();
const replyParser = new EmailReplyParser();

export function bareForward(body: string, subject: string | null): ForwardView {
  const r = forwardParser.read(body, subject);
  const list = (m: unknown) => (Array.isArray(m) ? m : m ? [m] : []);
  return {
    forwarded: r.forwarded,
    message: r.message,
    email: { ...r.email, to: list(r.email.to), cc: list(r.email.cc) },
  };
}

/** Resolves to the library's output, or null when it did not finish within `BARE_TIMEOUT_MS`. */
export function inWorker(
  kind: 'reply' | 'forward',
  text: string,
  subject: string | null = null,
): Promise<string | null> {
  const worker = new Worker(new URL('./bare.worker.ts', import.meta.url), {
    workerData: { kind, text, subject },
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve(null);
    }, BARE_TIMEOUT_MS);
    worker.once('message', (out: string) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(out);
    });
    worker.once('error', () => {
      clearTimeout(timer);
      resolve(null);
    });
  });
}

/** email-reply-parser's visible text; null when it did not finish in time. */
export function bareReplyBounded(text: string): Promise<string | null> {
  return text.length < 50_000 ? Promise.resolve(replyParser.parseReply(text)) : inWorker('reply', text);
}
