import type { Kysely } from 'kysely';
import { DRAFT_END, DRAFT_START } from '../approvals/reply/reply.markers.ts';
import type { Config } from '../config/config.ts';
import type { Database } from '../db/db.types.ts';

/**
 * The owner's answers the demo plays back after the sample mailbox: a forged "yes" (the owner's
 * address without the provider's verdict — refused), then a genuine "yes" to the first payment and
 * to the first reply draft. Genuine answers carry the trusted provider's Authentication-Results and a
 * DKIM-Signature header naming what it signs, as mail delivered through a real provider would (the
 * demo makes no DNS lookups). They quote the approval email, as mail clients do.
 */

export interface DemoAnswer {
  name: string;
  raw: Buffer;
}

function answer(
  config: Config,
  o: { n: number; inReplyTo: string; subject: string; text: string; quoted: string; genuine: boolean },
): Buffer {
  const domain = config.owner.email.split('@')[1] ?? 'example.com';
  const id = `demo-answer-${o.n}@mail.${domain}`;
  const head = [
    `Return-Path: <${config.owner.email}>`,
    ...(o.genuine
      ? [
          'Authentication-Results: mx.northwind.example;',
          `\tdkim=pass header.d=${domain} header.s=mail2026;`,
          `\tspf=pass smtp.mailfrom=${domain}`,
        ]
      : []),
    `Delivered-To: ${config.assistant.email}`,
    ...(o.genuine
      ? [
          `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${domain}; s=mail2026;`,
          '\th=from:to:subject:date:message-id:in-reply-to:references; bh=ZGVtbw==; b=ZGVtbw==',
        ]
      : []),
    'MIME-Version: 1.0',
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${id}>`,
    `From: ${config.owner.name} <${config.owner.email}>`,
    `To: ${config.assistant.name} <${config.assistant.email}>`,
    `Subject: Re: ${o.subject}`,
    `In-Reply-To: <${o.inReplyTo}>`,
    `References: <${o.inReplyTo}>`,
    'Content-Type: text/plain; charset="UTF-8"',
  ];
  const quote = o.quoted
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
  return Buffer.from(
    `${head.join('\r\n')}\r\n\r\n${o.text}\r\n\r\nOn ${new Date().toDateString()}, ${config.assistant.name} <${config.assistant.email}> wrote:\r\n${quote.replace(/\n/g, '\r\n')}\r\n`,
  );
}

export async function demoOwnerAnswers(db: Kysely<Database>, config: Config): Promise<DemoAnswer[]> {
  const rounds = await db
    .selectFrom('approvals')
    .innerJoin('outbox', 'outbox.id', 'approvals.request_outbox_id')
    .innerJoin('proposals', 'proposals.id', 'approvals.proposal_id')
    .select(['approvals.id', 'outbox.message_id', 'outbox.subject', 'outbox.text_body', 'proposals.kind'])
    .where('approvals.status', '=', 'open')
    .orderBy('approvals.id')
    .execute();
  const out: DemoAnswer[] = [];
  const payment = rounds.find((r) => r.kind === 'payment');
  const reply = rounds.filter((r) => r.kind === 'reply_draft').at(-1);
  let n = 0;
  if (payment) {
    const base = { inReplyTo: payment.message_id, subject: payment.subject, quoted: payment.text_body };
    out.push({
      name: '(answer) forged "yes" to the payment, without your provider\'s DKIM verdict',
      raw: answer(config, { ...base, n: ++n, text: 'Yes', genuine: false }),
    });
    out.push({
      name: '(answer) your signed "Yes, go ahead" to the payment',
      raw: answer(config, { ...base, n: ++n, text: 'Yes, go ahead.', genuine: true }),
    });
  }
  if (reply) {
    // The owner fills in the draft: the block between the markers, placeholders replaced, on top.
    const block = reply.text_body.slice(
      reply.text_body.indexOf(DRAFT_START),
      reply.text_body.indexOf(DRAFT_END) + DRAFT_END.length,
    );
    const edited = block.replace(/^.*\[\[.*\]\].*$/m, 'Could you send it by Friday?');
    out.push({
      name: '(answer) your signed edit of the reply draft',
      raw: answer(config, {
        n: ++n,
        inReplyTo: reply.message_id,
        subject: reply.subject,
        quoted: reply.text_body,
        text: `Yes, with this change:\n\n${edited}`,
        genuine: true,
      }),
    });
  }
  return out;
}
