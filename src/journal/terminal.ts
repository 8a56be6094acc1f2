/**
 * Text that came from mail (subjects, vendor names, reasons quoting them), made safe to print to a
 * terminal: C0/C1 control characters — ESC sequences that recolour or rewrite the screen, CR, BEL —
 * and bidirectional overrides (which can make text read backwards, CVE-2021-42574) become spaces,
 * and whitespace runs collapse to one. Pure.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(s: string): string {
  return s.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
}
