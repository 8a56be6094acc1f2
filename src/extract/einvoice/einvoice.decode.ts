/**
 * Bytes of an XML file → text. XML 1.0 §4.3.3 / Appendix F: a byte-order mark decides the
 * encoding, else the `encoding` of the XML declaration, else UTF-8. An unknown label (seen in
 * the wild: "UTF-8-W/O-BOM") falls back to UTF-8 instead of failing the invoice. Pure.
 */
import { TextDecoder } from 'node:util';

/** XML larger than this is not parsed: the biggest real e-invoices with thousands of lines are a few MB. */
export const MAX_EINVOICE_BYTES = 16 * 1024 * 1024;

function declaredEncoding(head: Buffer): string | null {
  const decl = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:/-]+)["']/.exec(head.toString('latin1'));
  return decl?.[1] ?? null;
}

function decoderFor(label: string): TextDecoder | null {
  try {
    return new TextDecoder(label);
  } catch {
    return null;
  }
}

/** The document as a string, without its byte-order mark. Never throws. */
export function decodeXml(content: string | Buffer): string {
  if (typeof content === 'string') return content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  if (content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf) {
    return new TextDecoder('utf-8').decode(content.subarray(3));
  }
  if (content[0] === 0xff && content[1] === 0xfe)
    return new TextDecoder('utf-16le').decode(content.subarray(2));
  if (content[0] === 0xfe && content[1] === 0xff)
    return new TextDecoder('utf-16be').decode(content.subarray(2));
  const label = declaredEncoding(content.subarray(0, 256));
  const decoder = (label && decoderFor(label)) || new TextDecoder('utf-8');
  // UTF-16 without a BOM cannot be told apart by a declaration read as latin1; treat as UTF-8.
  return (decoder.encoding.startsWith('utf-16') ? new TextDecoder('utf-8') : decoder).decode(content);
}
