/**
 * Two OCR readings of one receipt, combined field by field. Each group of fields (the money, the
 * date, the vendor, the number) is taken from the reading that found it with more confidence,
 * together with its evidence and its warnings, so the result never mixes a total from one reading
 * with a warning about the other's. Pure.
 */
import type { ExtractedDocument, FieldName } from '../extract.model.ts';

interface Group {
  fields: FieldName[];
  /** Warnings that belong to this group, by how they start. */
  warnings: RegExp;
  copy: (from: ExtractedDocument, to: ExtractedDocument) => void;
}

const GROUPS: Group[] = [
  {
    fields: ['total', 'subtotal', 'tax', 'currency'],
    warnings: /^(?:total|subtotal|tax|currency)\b/,
    copy: (from, to) => {
      to.total = from.total;
      to.subtotal = from.subtotal;
      to.tax = from.tax;
      to.currency = from.currency;
    },
  },
  {
    fields: ['issueDate'],
    warnings: /^(?:date|issueDate)\b/,
    copy: (from, to) => {
      to.issueDate = from.issueDate;
    },
  },
  {
    fields: ['vendor.name'],
    warnings: /^vendor/,
    copy: (from, to) => {
      to.vendor = { ...to.vendor, name: from.vendor.name };
    },
  },
  {
    fields: ['invoiceNumber'],
    warnings: /^invoiceNumber\b/,
    copy: (from, to) => {
      to.invoiceNumber = from.invoiceNumber;
    },
  },
];

/** How sure a reading is of a group: the confidence of its first field, 0 when it found none. */
const certainty = (doc: ExtractedDocument, group: Group) => doc.evidence[group.fields[0]!]?.confidence ?? 0;

/** `first`, with each group replaced by `second`'s where `second` is surer. Neither input is changed. */
export function mergeReadings(first: ExtractedDocument, second: ExtractedDocument): ExtractedDocument {
  const out: ExtractedDocument = structuredClone(first);
  for (const group of GROUPS) {
    if (certainty(second, group) <= certainty(first, group)) continue;
    group.copy(second, out);
    for (const field of group.fields) {
      const evidence = second.evidence[field];
      if (evidence) out.evidence[field] = { ...evidence };
      else delete out.evidence[field];
    }
    out.warnings = [
      ...out.warnings.filter((w) => !group.warnings.test(w)),
      ...second.warnings.filter((w) => group.warnings.test(w)),
    ];
  }
  return out;
}

/** True when a reading left a field that receipts always have unknown or unsure. */
export function worthSecondReading(doc: ExtractedDocument, sure = 0.7): boolean {
  return (['total', 'issueDate', 'vendor.name'] as const).some(
    (f) => (doc.evidence[f]?.confidence ?? 0) < sure,
  );
}
