import type { Kysely } from 'kysely';
import type { Config } from '../config/config.ts';
import type { Database } from '../db/db.types.ts';
import type { ExtractedDocument } from '../extract/extract.model.ts';
import { extractDocuments } from '../extract/extract.ts';
import { journalOnce } from '../journal/journal.repository.ts';
import type { ModelClient } from '../llm/llm.model.ts';
import type { Clock } from '../shared/clock.ts';
import { sha256Hex } from '../shared/ids.ts';
import { recordInvoice } from './invoices/invoice.usecase.ts';
import type { StoredMessage } from './thread.ts';

export interface DocumentDeps {
  db: Kysely<Database>;
  config: Config;
  clock: Clock;
  model: ModelClient | null;
}

/** What happened to one document of a message; the jobs layer tells the owner about exceptions. */
export type DocumentOutcome =
  | {
      kind: 'document_recorded';
      source: string;
      documentId: string;
      invoiceId: string | null;
      /** null: not an invoice (no checks). */
      risk: 'low' | 'high' | null;
      exceptions: string[];
      proposal: string | null;
      /** The payment proposal's id: the approvals step asks the owner about it. */
      proposalId: string | null;
      created: boolean;
    }
  | { kind: 'document_unreadable'; source: string; sha256: string; code: string; reason: string };

const DOCUMENT_TYPES = /^(application\/(pdf|xml|octet-stream)|text\/xml|image\/)/i;
const DOCUMENT_NAMES = /\.(pdf|xml|png|jpe?g|tiff?|gif|bmp|webp|zip|7z|rar)$/i;

/**
 * Reads every document a message carries — attachments, or a receipt or invoice written in the
 * body — and records each: a document, and for invoices an invoice with its checks and a payment
 * proposal (src/skills/invoices). A file that cannot be read becomes an exception for the owner,
 * never a silent skip. Idempotent per (message, attachment hash).
 */
export async function readMessageDocuments(
  deps: DocumentDeps,
  m: { id: string; parsed: StoredMessage; category: string },
): Promise<DocumentOutcome[]> {
  const atts = await deps.db
    .selectFrom('attachments')
    .select(['filename', 'content_type', 'sha256', 'content', 'inline'])
    .where('message_id', '=', m.id)
    .orderBy('id')
    .execute();
  const sender = m.parsed.forwarded?.from?.address ?? m.parsed.from?.address ?? null;
  // CSV files are purchase-order lists (imported from the owner's mail), never documents to read.
  const files = atts.filter(
    (a) =>
      !/\.csv$/i.test(a.filename ?? '') &&
      !/^text\/csv/i.test(a.content_type) &&
      !a.inline &&
      a.content &&
      (DOCUMENT_TYPES.test(a.content_type) || DOCUMENT_NAMES.test(a.filename ?? '')),
  );
  const out: DocumentOutcome[] = [];
  for (const a of files) {
    const name = a.filename ?? 'attachment';
    const results = await extractDocuments(
      { name, contentType: a.content_type, content: a.content as Buffer, senderEmail: sender },
      { model: deps.model, ownerName: deps.config.owner.name },
    );
    for (const [i, r] of results.entries()) {
      // One file can hold several documents (an attached .eml): each gets its own key.
      const key = results.length > 1 ? `${a.sha256}:${i}` : a.sha256;
      if (!r.ok) {
        await journalOnce(deps.db, {
          actor: 'deskhand',
          action: 'document_unreadable',
          reason: r.error.message,
          messageId: m.id,
          data: { source: r.source, code: r.error.code, sha256: key },
        });
        out.push({
          kind: 'document_unreadable',
          source: r.source,
          sha256: key,
          code: r.error.code,
          reason: r.error.message,
        });
        continue;
      }
      out.push(await record(deps, m.id, r.doc, key, name, sender));
    }
  }
  if (files.length === 0 && (m.category === 'invoice' || m.category === 'receipt')) {
    const body = m.parsed.forwarded?.text ?? m.parsed.text;
    const results = await extractDocuments(
      { name: 'message body', contentType: 'text/plain', content: Buffer.from(body), senderEmail: sender },
      { model: deps.model, ownerName: deps.config.owner.name },
    );
    for (const r of results) {
      if (r.ok && hasSubstance(r.doc)) {
        out.push(await record(deps, m.id, r.doc, sha256Hex(Buffer.from(body)), 'message body', sender));
      }
    }
  }
  return out;
}

/** A body "document" is worth recording only when it names an amount or a number. */
function hasSubstance(d: ExtractedDocument): boolean {
  return d.total !== null || d.invoiceNumber !== null;
}

async function record(
  deps: DocumentDeps,
  messageId: string,
  doc: ExtractedDocument,
  sha256: string,
  filename: string,
  senderEmail: string | null,
): Promise<DocumentOutcome> {
  const r = await recordInvoice(deps.db, {
    doc,
    messageId,
    attachmentSha256: sha256,
    filename,
    clock: deps.clock,
    senderEmail,
    ignoreDomains: [...deps.config.teamDomains],
  });
  return {
    kind: 'document_recorded',
    source: doc.source,
    documentId: r.documentId,
    invoiceId: r.invoiceId,
    risk: r.risk,
    exceptions: r.exceptions,
    proposal: r.proposal?.summary ?? null,
    proposalId: r.proposal?.id ?? null,
    created: r.created,
  };
}
