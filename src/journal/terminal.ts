import { stripInvisible } from '../shared/invisible.ts';

/**
 * Text that came from mail (subjects, vendor names, reasons quoting them), made safe to print to a
 * terminal: C0/C1 control characters — ESC sequences that recolour or rewrite the screen, CR, BEL —
 * become spaces, and invisible characters (bidi overrides that make text read backwards,
 * CVE-2021-42574; zero-width and tag characters) are removed. Pure.
 */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

/** One line: also collapses whitespace runs (newlines included) and trims. */
export function terminalSafe(s: string): string {
  return terminalText(s).replace(/\s+/g, ' ').trim();
}

/** Several lines, layout kept: newlines and indentation stay, everything else unsafe goes. */
export function terminalText(s: string): string {
  return stripInvisible(s).text.replace(/\r\n?/g, '\n').replace(CONTROL, ' ');
}
