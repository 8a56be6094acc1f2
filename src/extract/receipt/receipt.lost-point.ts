/**
 * Amounts whose decimal point a faint print lost: "TOTAL 685", "CHANGE 1315" for 6.85 and 13.15.
 * A bare integer on a receipt is usually a quantity or a code, so such a reading is a last resort,
 * trusted only when the payment closes with it: cash handed over − change = the total. Pure.
 */
import { findAmounts } from './receipt.amount.ts';
import { type AmountRole, amountRole, TOTAL_RANK } from './receipt.labels.ts';
import { type Entry, same, valuesOf } from './receipt.payment.ts';
import { type Line, repairDigits } from './receipt.text.ts';

export interface LostPointTotal {
  value: number;
  line: Line;
}

// Three to six digits ending the line, not part of a decimal amount, a date or a time.
const TRAILING_INT = /(?<![\d.,:/-]|[\d.,:/-]\s)(\d{3,6})[^\dA-Za-z]*$/;

/** The labelled amount ending `line` read with its last two digits as cents, or null. */
function lostPointRead(line: Line): { role: AmountRole; value: number } | null {
  const s = repairDigits(line.text);
  const last = findAmounts(line.text).at(-1);
  const tail = last ? s.slice(last.at + last.raw.length) : s;
  const m = TRAILING_INT.exec(tail);
  if (!m) return null;
  const role = amountRole(tail.slice(0, m.index).trim());
  return role ? { role, value: Number(m[1]) / 100 } : null;
}

/**
 * A total printed without its decimal point that the payment proves: cash handed over (as read)
 * minus a change (as read, or itself without its point) equals it. The later such line wins.
 */
export function lostPointTotal(lines: Line[], entries: Entry[]): LostPointTotal | null {
  const reads = lines.flatMap((line) => {
    const r = lostPointRead(line);
    return r ? [{ ...r, line }] : [];
  });
  const tendered = valuesOf(entries, 'tendered');
  const change = [
    ...valuesOf(entries, 'change'),
    ...reads.filter((r) => r.role === 'change').map((r) => r.value),
  ];
  const totals = reads.filter((r) => TOTAL_RANK[r.role]).reverse();
  const total = totals.find((t) => tendered.some((c) => change.some((g) => same(c - g, t.value))));
  return total ? { value: total.value, line: total.line } : null;
}
