/**
 * Which raster format a buffer holds, from its magic bytes alone (never from a file name or a
 * MIME type a sender chose). Only formats tesseract's image library (leptonica) decodes are
 * listed. The check matters for safety too: fed bytes that are not an image on stdin, tesseract
 * reads them as a *list of file paths* and OCRs those files — so nothing reaches it unless it
 * starts like an image.
 */

export type ImageType = 'png' | 'jpeg' | 'tiff' | 'gif' | 'bmp' | 'webp';

const startsWith = (buf: Buffer, bytes: number[], offset = 0): boolean =>
  buf.length >= offset + bytes.length && bytes.every((b, i) => buf[offset + i] === b);

/** The image type of `content`, or null when it is not one we OCR. Pure; never throws. */
export function detectImageType(content: Buffer): ImageType | null {
  if (startsWith(content, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(content, [0xff, 0xd8, 0xff])) return 'jpeg';
  // TIFF: little-endian "II*\0" or big-endian "MM\0*".
  if (startsWith(content, [0x49, 0x49, 0x2a, 0x00]) || startsWith(content, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'tiff';
  if (startsWith(content, [0x47, 0x49, 0x46, 0x38])) return 'gif'; // "GIF8" (GIF87a / GIF89a)
  if (startsWith(content, [0x42, 0x4d]) && content.length >= 26) return 'bmp'; // "BM" + a header
  // RIFF container whose form type is "WEBP".
  if (startsWith(content, [0x52, 0x49, 0x46, 0x46]) && startsWith(content, [0x57, 0x45, 0x42, 0x50], 8))
    return 'webp';
  return null;
}

/** True when the bytes start like a PDF ("%PDF-"), so a caller can point to `ocrPdf` instead. */
export function looksLikePdf(content: Buffer): boolean {
  return startsWith(content, [0x25, 0x50, 0x44, 0x46, 0x2d]);
}
