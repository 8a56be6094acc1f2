/**
 * CSV as RFC 4180 says: CRLF line ends, a field quoted when it holds a comma, quote, CR or LF,
 * quotes doubled. Text that came from mail is data: a cell starting with = + - @ (or tab/CR) is
 * prefixed with an apostrophe so a spreadsheet shows it instead of running it as a formula
 * (OWASP "CSV injection"). Numbers are written as numbers and never prefixed. Pure.
 */

/** A text cell, a number, a preformatted number (`{ number: '1190.00' }`, kept as written), or empty. */
export type CsvCell = string | number | { number: string } | null;

const FORMULA = /^[=+\-@\t\r]/;

function encode(cell: CsvCell): string {
  if (cell === null) return '';
  const s =
    typeof cell === 'number'
      ? String(cell)
      : typeof cell === 'object'
        ? cell.number
        : FORMULA.test(cell)
          ? `'${cell}`
          : cell;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV text: the header, then the rows, each line ending in CRLF. */
export function toCsv(header: string[], rows: CsvCell[][]): string {
  return [header, ...rows].map((r) => `${r.map(encode).join(',')}\r\n`).join('');
}
