/** Runs a bare crisp library in a worker, so the benchmark can give up on inputs it never finishes. */
import { parentPort, workerData } from 'node:worker_threads';
import EmailForwardParser from 'email-forward-parser';
import EmailReplyParser from 'email-reply-parser';

const job = workerData as { kind: 'reply' | 'forward'; text: string; subject: string | null };
const result =
  job.kind === 'reply'
    ? new EmailReplyParser().parseReply(job.text)
    : JSON.stringify(new EmailForwardParser().read(job.text, job.subject));
parentPort?.postMessage(result);
