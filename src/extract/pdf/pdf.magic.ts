/**
 * PDF 1.7 (ISO 32000-1 §7.5.2) puts `%PDF-` at the start of the file, but readers since
 * Acrobat accept it anywhere in the first 1024 bytes (mail gateways and scanners prepend
 * junk), so we do the same rather than reject files every viewer opens.
 */
const MAGIC = Buffer.from('%PDF-', 'latin1');
const HEADER_WINDOW = 1024;

/** True when the bytes carry a PDF header. Cheap: looks at the first 1 KiB only. Never throws. */
export function isPdf(content: Uint8Array): boolean {
  const head = Buffer.from(content.buffer, content.byteOffset, Math.min(content.byteLength, HEADER_WINDOW));
  return head.indexOf(MAGIC) !== -1;
}
