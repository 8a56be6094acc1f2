import { readFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import Mustache from 'mustache';
import type { Database } from '../db/db.types.ts';
import type { Field } from './report.rows.ts';
import { readMessagePage, readUnlinkedMail } from './shadow.rows.ts';
import { listCounts, type ShadowSummary } from './shadow.summary.ts';

/**
 * What other parts of deskhand add to a shadow report. Each is optional: when absent (or null),
 * the report says so in a sentence.
 */
export interface ShadowReportExtras {
  /** The daily digest the run would have produced. */
  digest?: { subject: string; text: string } | null;
  /** Figures about the run (accuracy, time saved…), in display order. */
  metrics?: Array<{ label: string; value: string }> | null;
}

/** Who and what the report is about; shown at its top. */
export interface ShadowReportHead {
  source: string;
  outDir: string;
  owner: string;
  assistant: string;
  now: string;
  generatedAt: string;
  /** This run's own figures (messages read, rate…). */
  run: Field[];
}

const TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));
const PARTS = ['head', 'message', 'mail', 'other', 'tail'] as const;
let cache: Record<(typeof PARTS)[number], string> | null = null;
function templates() {
  cache ??= Object.fromEntries(
    PARTS.map((p) => [p, readFileSync(`${TEMPLATES}shadow.${p}.html`, 'utf8')]),
  ) as Record<(typeof PARTS)[number], string>;
  return cache;
}

/** Messages per query and per write: bounds the report's memory whatever the run's size. */
const PAGE = 200;

/**
 * Writes report.html from the shadow database: the head (summary, digest, metrics), then one
 * section per stored message, read and written a page at a time, then the mail tied to no message.
 * Self-contained: inline CSS, no script, no remote content (a Content-Security-Policy forbids any),
 * every value escaped by mustache's `{{…}}`. Written to a temporary file and renamed, so a reader
 * never sees half a report; rendered from the database alone, so a resumed run lists each message once.
 */
export async function writeShadowReport(
  db: Kysely<Database>,
  file: string,
  input: { head: ShadowReportHead; summary: ShadowSummary; extras: ShadowReportExtras },
): Promise<void> {
  const t = templates();
  const s = input.summary;
  const tmp = `${file}.tmp`;
  const out = await open(tmp, 'w');
  try {
    await out.write(
      Mustache.render(t.head, {
        ...input.head,
        ...s,
        byCategory: listCounts(s.byCategory),
        documentsByKind: listCounts(s.documentsByKind),
        proposalsByKind: listCounts(s.proposalsByKind),
        wouldSendByPurpose: listCounts(s.wouldSendByPurpose),
        flags: listCounts(s.flags),
        nothingSent: s.notPending === 0,
        digest: input.extras.digest ?? null,
        metrics: input.extras.metrics ?? [],
      }),
    );
    for (let after = '0'; ; ) {
      const page = await readMessagePage(db, after, PAGE);
      if (page.length === 0) break;
      await out.write(page.map((m) => Mustache.render(t.message, m, { mail: t.mail })).join(''));
      after = page[page.length - 1]?.id ?? after;
    }
    for (let after = '0'; ; ) {
      const page = await readUnlinkedMail(db, after, PAGE);
      if (page.length === 0) break;
      if (after === '0') await out.write(Mustache.render(t.other, {}));
      await out.write(page.map((m) => Mustache.render(t.mail, m)).join(''));
      after = page[page.length - 1]?.id ?? after;
    }
    await out.write(Mustache.render(t.tail, { messages: s.messages }));
  } finally {
    await out.close();
  }
  await rename(tmp, file);
}
