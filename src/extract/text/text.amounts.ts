/**
 * Total, subtotal and tax. Each comes from its labels, strongest label first and, among equals,
 * the one nearest the end of the document (summaries close an invoice; section subtotals and
 * per-line totals come earlier). Where subtotal + tax = total holds for some choice among the
 * candidates, that choice wins: the three numbers then vouch for each other. The total is the
 * invoice's gross total; an amount due that differs (a prepayment) is reported in a warning. Pure.
 */
import { amountAfterLabel, type LabeledAmount } from './text.amount-value.ts';
import { findLabeled } from './text.labeled.ts';
import {
  AMOUNT_PREFIX,
  SUBTOTAL_NET,
  SUBTOTAL_PLAIN,
  TAX_PREFIX,
  TAX_RATE,
  TAX_TOTAL,
  TOTAL_DUE,
  TOTAL_GROSS,
  TOTAL_PLAIN,
} from './text.labels.ts';
import { fold, type Line } from './text.lines.ts';
import type { Doc, Found, Hit } from './text.model.ts';
import { parseAmount } from './text.numbers.ts';

export interface Amounts {
  total: Found<number> | null;
  subtotal: Found<number> | null;
  tax: Found<number> | null;
  /** Currency written next to the chosen total, if any (ISO or `USD?`). */
  totalCurrency: string | null;
  warnings: string[];
}

interface Candidate {
  value: number;
  hit: Hit<LabeledAmount>;
  /** Label strength, 0 strongest. */
  tier: number;
  base: number;
}

const close = (a: number, b: number) => Math.abs(a - b) < 0.005;

function candidates(
  doc: Doc,
  re: RegExp,
  tier: number,
  base: number,
  rows: 'none' | 'last',
  prefix = AMOUNT_PREFIX,
): Candidate[] {
  const out: Candidate[] = [];
  for (const hit of findLabeled(doc, re, amountAfterLabel(doc), { prefix })) {
    const { extra } = hit.value;
    if (extra > 1 || (extra === 1 && rows === 'none')) continue;
    // Away from its label, a bare "1" is a position number under a column header, not money.
    if (hit.how !== 'inline' && !hit.value.money) continue;
    const value = extra === 1 ? hit.value.last : hit.value.value;
    const placed = hit.how === 'inline' ? 0 : 0.08;
    out.push({ value, hit, tier, base: base - placed - (extra === 1 ? 0.15 : 0) });
  }
  return out;
}

/**
 * A totals table whose last column is the gross total ("Warenwert ⇥ … ⇥ MwSt-Betrag ⇥ Endbetrag"
 * over rows of numbers): the last row's last number is the grand total, as right-aligned summary
 * tables print it.
 */
function lastColumnTotal(doc: Doc): Candidate[] {
  const out: Candidate[] = [];
  const gross = new RegExp(`^(?:${TOTAL_GROSS.source})\\s*:?$`);
  for (const line of doc.lines) {
    if (line.cells.length < 3 || /\d/.test(line.text)) continue;
    if (!gross.test(fold(line.cells[line.cells.length - 1] ?? ''))) continue;
    let last: Line | null = null;
    for (let i = line.index + 1; i < doc.lines.length; i++) {
      const row = doc.lines[i]!;
      if (row.page !== line.page || row.cells.length < 2) break;
      if (!row.cells.every((c) => /^[-−]?[\d.,' ]+$|^[A-Z]{3}$/.test(c))) break;
      last = row;
    }
    const cell = last?.cells[last.cells.length - 1];
    const value = cell === undefined ? null : parseAmount(cell, doc.habit, doc.spaceGroups);
    if (last && value !== null) {
      const hit: Hit<LabeledAmount> = {
        value: { value, currency: null, extra: 0, last: value, money: true },
        line: last,
        labelLine: line,
        label: 'last column',
        how: 'column',
        at: 0,
      };
      out.push({ value, hit, tier: 0, base: 0.78 });
    }
  }
  return out;
}

/** Strongest tier first, then nearest the end. */
function ranked(list: Candidate[]): Candidate[] {
  return [...list].sort(
    (a, b) => a.tier - b.tier || b.hit.line.index - a.hit.line.index || b.hit.at - a.hit.at,
  );
}

function found(c: Candidate, bonus: number, note?: string): Found<number> {
  const confidence = Math.min(0.97, Math.round((c.base + bonus) * 100) / 100);
  return note === undefined
    ? { value: c.value, line: c.hit.line, confidence }
    : { value: c.value, line: c.hit.line, confidence, note };
}

export function readAmounts(doc: Doc): Amounts {
  const warnings: string[] = [];
  const gross = ranked([
    ...candidates(doc, TOTAL_GROSS, 0, 0.9, 'none'),
    ...lastColumnTotal(doc),
    ...candidates(doc, TOTAL_PLAIN, 1, 0.82, 'none'),
  ]);
  const due = ranked(candidates(doc, TOTAL_DUE, 0, 0.88, 'none'));
  const nets = ranked([
    ...candidates(doc, SUBTOTAL_NET, 0, 0.88, 'none'),
    ...candidates(doc, SUBTOTAL_PLAIN, 1, 0.75, 'none'),
  ]);
  const taxes = ranked([
    ...candidates(doc, TAX_TOTAL, 0, 0.88, 'none'),
    ...candidates(doc, TAX_RATE, 1, 0.75, 'last', TAX_PREFIX),
  ]);

  let total: Candidate | null = gross[0] ?? due.find((d) => d.value !== 0) ?? null;
  let note =
    total === null ? '' : total.tier === 0 ? 'strongest total label nearest the end' : 'last "Total" line';
  if (total !== null && gross.length === 0) note = 'amount due (no gross total found)';

  // The triple that adds up wins over label order alone.
  let subtotal: Candidate | null = null;
  let tax: Candidate | null = null;
  let agreed = false;
  const totals = total === null ? [] : [total, ...gross.filter((g) => g !== total).slice(0, 4)];
  search: for (const t of totals) {
    for (const s of nets.slice(0, 6)) {
      for (const x of taxes.slice(0, 8)) {
        if (close(s.value + x.value, t.value)) {
          if (t !== total) note = 'the total that equals subtotal + tax';
          total = t;
          subtotal = s;
          tax = x;
          agreed = true;
          break search;
        }
      }
    }
  }
  if (!agreed && total !== null) {
    // One tax line per rate and no tax total: their sum is the tax when it makes the triple add up.
    const perRate = [
      ...new Map(taxes.filter((t) => t.tier === 1).map((t) => [t.hit.line.index, t])).values(),
    ];
    const sum = perRate.reduce((s, t) => s + t.value, 0);
    const net = nets.find((s) => close(s.value + sum, total.value));
    if (perRate.length > 1 && net) {
      subtotal = net;
      const last = perRate.sort((a, b) => b.hit.line.index - a.hit.line.index)[0]!;
      tax = { ...last, value: Math.round(sum * 100) / 100, base: 0.8 };
      agreed = true;
    }
  }
  if (!agreed) {
    subtotal = nets[0] ?? null;
    tax = pickTax(taxes, warnings);
  }

  if (total !== null && total.tier <= 1 && gross.includes(total)) {
    const owed = due[0];
    if (owed && !close(owed.value, total.value)) {
      warnings.push(
        `amount due ${owed.value.toFixed(2)} differs from the invoice total ${total.value.toFixed(2)} (prepaid or credited)`,
      );
    }
  }
  if (total === null) warnings.push('total not found');
  const bonus = agreed ? 0.05 : 0;
  return {
    total: total === null ? null : found(total, bonus, note),
    subtotal: subtotal === null ? null : found(subtotal, bonus),
    tax: tax === null ? null : found(tax, bonus),
    totalCurrency: total?.hit.value.currency ?? null,
    warnings,
  };
}

/**
 * Without agreement: a named tax total wins; rate lines are used only when they all say the same
 * (one rate, printed more than once); several different per-rate amounts and no total stay unread.
 */
function pickTax(taxes: Candidate[], warnings: string[]): Candidate | null {
  const named = taxes.find((t) => t.tier === 0);
  if (named) return named;
  const values = new Set(taxes.map((t) => t.value.toFixed(2)));
  if (values.size === 1) return taxes[0] ?? null;
  if (values.size > 1) warnings.push('several tax amounts (one per rate?) and no tax total; tax not chosen');
  return null;
}
