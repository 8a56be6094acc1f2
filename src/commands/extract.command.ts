import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Config } from '../config/config.ts';
import { type ExtractResult, extractDocuments } from '../extract/extract.ts';
import { closePdfReader } from '../extract/pdf/pdf.reader.ts';
import { noModelCache } from '../llm/llm.cache.ts';
import { createModelClient } from '../llm/llm.client.ts';
import { systemClock } from '../shared/clock.ts';

/**
 * `deskhand extract <file> [--json]`: the documents in one PDF, XML, image or .eml, as the
 * contract JSON (DESIGN.md). One document prints one object; several print an array. A file
 * that cannot be read prints `{source, error: {code, message}}` and exits 2.
 */
export async function extractCommand(
  config: Config,
  file: string,
  opts: { json?: boolean },
): Promise<number> {
  const content = await readFile(file);
  const model = config.model
    ? createModelClient({
        ...config.model,
        ledger: { record: async () => undefined },
        cache: noModelCache,
        clock: systemClock,
      })
    : null;
  let results: ExtractResult[];
  try {
    results = await extractDocuments(
      { name: basename(file), content },
      { model, ownerName: config.owner.name },
    );
  } finally {
    await closePdfReader();
  }
  const shaped = results.map((r) =>
    r.ok ? r.doc : { source: r.source, error: { code: r.error.code, message: r.error.message } },
  );
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(shaped.length === 1 ? shaped[0] : shaped, null, 2)}\n`);
  } else {
    for (const r of results)
      process.stdout.write(`${r.ok ? describe(r.doc) : `${r.source}: cannot read — ${r.error.message}`}\n`);
  }
  return results.every((r) => r.ok) ? 0 : 2;
}

function describe(d: Extract<ExtractResult, { ok: true }>['doc']): string {
  const money = (n: number | null) => (n === null ? '—' : n.toFixed(2));
  const lines = [
    `${d.source}: ${d.kind} (${d.method})`,
    `  vendor:   ${d.vendor.name ?? '—'}${d.vendor.taxId ? ` (${d.vendor.taxId})` : ''}`,
    `  number:   ${d.invoiceNumber ?? '—'}   issued ${d.issueDate ?? '—'}   due ${d.dueDate ?? '—'}`,
    `  amounts:  ${d.currency ?? '???'} subtotal ${money(d.subtotal)}  tax ${money(d.tax)}  total ${money(d.total)}`,
    `  pay to:   ${d.iban ?? '—'}${d.poNumber ? `   PO ${d.poNumber}` : ''}`,
  ];
  if (d.lines.length) lines.push(`  lines:    ${d.lines.length}`);
  for (const k of d.keyDates) lines.push(`  ${k.label}: ${k.date}`);
  for (const w of d.warnings) lines.push(`  warning:  ${w}`);
  return lines.join('\n');
}
