import { it } from 'vitest';
import { DRAFT_END, DRAFT_START } from '../../src/approvals/reply/reply.markers.ts';
import { eml, memoryDb } from '../support/pglite.ts';
import { harness, ownerAnswer } from './builders/approvals-harness.ts';

it('explore', async () => {
  const h = await memoryDb();
  const t = harness(h);
  const dana = eml({
    from: 'Dana Lee <dana@lumen.example>',
    to: 'Maya Chen <maya@northwind.example>',
    cc: 'assistant@northwind.example',
    subject: 'Offer <script>alert(1)</script> for Q2',
    messageId: 'offer-1@lumen.example',
    body: 'Hi Maya,\n\nour offer: EUR 48,000 fixed price.\n\nDana',
  });
  await t.deliver(dana);
  const ask = eml({
    from: 'Maya Chen <maya@northwind.example>',
    to: 'assistant@northwind.example',
    subject: 'Re: Offer for Q2',
    messageId: 'ask-1@mail.northwind.example',
    headers: {
      'In-Reply-To': '<offer-1@lumen.example>',
      References: '<offer-1@lumen.example>',
      'X-Test-Signed': 'yes',
    },
    body: 'Please reply to Dana that we accept the offer of EUR 48,000 and ask for the contract.',
  });
  await t.deliver(ask);
  const out = await h.db.selectFrom('outbox').selectAll().execute();
  for (const o of out)
    console.log(
      o.purpose,
      o.subject,
      o.in_reply_to,
      o.references,
      JSON.stringify(o.extra_headers),
      '\n',
      o.text_body,
      '\n',
      o.html_body,
    );
  const ap = await h.db.selectFrom('approvals').selectAll().execute();
  console.log(
    JSON.stringify(
      ap.map((a) => a.shown),
      null,
      1,
    ),
  );
  console.log(
    JSON.stringify(
      await h.db.selectFrom('messages').select(['id', 'status', 'addressing', 'category']).execute(),
    ),
  );
  console.log(
    JSON.stringify(await h.db.selectFrom('journal').select(['action', 'reason']).execute(), null, 1),
  );
  const req = out.find((o) => o.purpose === 'approval')!;
  const block = req.text_body.slice(
    req.text_body.indexOf(DRAFT_START),
    req.text_body.indexOf(DRAFT_END) + DRAFT_END.length,
  );
  const edited = block.replace(/^.*\[\[.*\]\].*$/m, 'Could you send it by Friday?');
  const ans = ownerAnswer({
    inReplyTo: req.message_id,
    subject: req.subject,
    text: `Yes\n\n${edited}`,
    quoted: req.text_body,
    to: req.extra_headers['Reply-To'],
  });
  const id = await t.deliver(ans);
  const out2 = await h.db.selectFrom('outbox').selectAll().execute();
  for (const o of out2.slice(out.length))
    console.log(
      o.purpose,
      o.subject,
      o.to_addresses,
      o.cc_addresses,
      o.in_reply_to,
      o.references,
      '\n',
      o.text_body,
    );
  console.log(
    JSON.stringify(
      await h.db.selectFrom('journal').select(['action', 'reason']).where('message_id', '=', id).execute(),
      null,
      1,
    ),
  );
  for (const text of ['hmm, let me think', 'yes, but due 2024-04-15', 'total: 1200.00', 'Yes', 'No', 'yes']) {
    const { readApprovalReply } = await import('../../src/approvals/reply/reply.read.ts');
    console.log(
      text,
      JSON.stringify(
        readApprovalReply({
          replyText: text,
          fullText: text,
          draft: null,
          acceptsCorrections: true,
          today: '2026-03-16',
        }),
      ),
    );
  }
  await h.close();
}, 60000);
