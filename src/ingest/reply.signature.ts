/**
 * Finds where the signature of a reply starts: the "-- " delimiter (RFC 3676 §4.3,
 * often sent without its space), an em-dash rule, a "Sent from my iPhone" line
 * (localized), a regards-type sign-off followed by a few lines, or a "-Name" alone
 * at the end. "Thanks," and "Sincerely," are kept: they often carry the message.
 * Lines in ``` fences are never a delimiter. Linear in the number of lines.
 */
import { isRuleLine, normalizeText } from './forward.header.ts';

const MOBILE =
  /^\s*(?:sent (?:from|with|via|using)|get outlook for|envoyé (?:de|depuis|à partir de|avec)|(?:télécharger|obtenir) outlook pour|von meinem\s.{1,40}\sgesendet|gesendet (?:von|mit)|enviado (?:desde|con|de|do|a partir d[oe])|obtener outlook para|inviato da|verzonden (?:vanaf|met)|verstuurd (?:vanaf|met)|sendt fra|skickat från|lähetetty|wysłane z|wysłano z|odesláno z|отправлено (?:с|из)|надіслано з)\s/iu;
const MOBILE_CJK =
  /^\s*(?:发自|從我的|从我的|來自我的)\S.{0,30}$|(?:から送信|에서 보냄|'umdan gönderildi)\s*$/u;
const SIGN_OFF =
  /^\s*(?:(?:(?:best|kind|warm|warmest|many|with kind|with best|with warm|thanks and|thanks &)\s+)?regards|best wishes|cheers|cordialement|bien (?:à|a) vous|bonne (?:journée|soirée)|mit freundlichen grüßen|(?:viele|liebe|beste|freundliche) grüße|(?:met )?vriendelijke groet(?:en)?|saludos(?: cordiales)?|un saludo|atentamente|cordiali saluti|distinti saluti|atenciosamente|cumprimentos|(?:med )?vänliga hälsningar|med venlig hilsen|med vennlig hilsen|ystävällisin terveisin|pozdrawiam|z poważaniem|s pozdravem|с уважением|saygılarımla|üdvözlettel)\s*[,.!]*\s*(?:,\s*[\p{L} .'-]{1,40})?$/iu;
/** "-Abhishek Kona": a dash glued to a name. */
const DASH_NAME = /^-\p{Lu}[\p{L}.'-]*(?: [\p{L}.'-]+){0,3}$/u;

export const isBlank = (line: string): boolean => line.trim() === '';

/** "Sent from my iPhone" and kin, but not "Sent from my desk, is much easier…" (a sentence). */
function isMobileSignature(line: string): boolean {
  const bare = line.replace(/<[^<>\s]*>|\([^()\s]*\)|https?:\/\/\S+/g, '').trim();
  if (MOBILE_CJK.test(bare)) return true;
  return MOBILE.test(`${bare} `) && !/[,:;!?]/.test(bare) && bare.split(/\s+/).length <= 9;
}

/** A line that opens a signature whatever follows it. */
export function isDelimiter(line: string): boolean {
  if (line.length > 200) return false;
  const t = line.trim();
  return t === '--' || /^[—–]+$/.test(t) || isMobileSignature(line);
}

/** Index of the first signature line, or `lines.length` when there is none. */
export function signatureStart(lines: readonly string[]): number {
  const nonBlankAfter: number[] = new Array(lines.length + 1).fill(0);
  for (let i = lines.length - 1; i >= 0; i--) {
    nonBlankAfter[i] = (nonBlankAfter[i + 1] ?? 0) + (isBlank(lines[i] ?? '') ? 0 : 1);
  }
  const within = (i: number, end: number) => (nonBlankAfter[i + 1] ?? 0) - (nonBlankAfter[end] ?? 0);
  let cut = lines.length;
  let fenced = false;
  for (let i = 0; i < lines.length && cut === lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) continue;
    // A rule of underscores opens a mailing-list footer or a disclaimer: only when little follows.
    if (isDelimiter(line) || (/^\s*_{2,}\s*$/.test(line) && within(i, lines.length) <= 20)) cut = i;
  }
  const first = lines.findIndex((l) => !isBlank(l));
  for (let i = first + 1; i < cut; i++) {
    const line = lines[i] ?? '';
    if (line.length <= 200 && SIGN_OFF.test(line) && within(i, cut) <= 6) return i;
  }
  let last = cut - 1;
  while (last > first && isBlank(lines[last] ?? '')) last--;
  const t = (lines[last] ?? '').trim();
  const named = t.length < 60 && DASH_NAME.test(t) && isBlank(lines[last - 1] ?? '');
  return last > first && named ? last : cut;
}

/** Drops trailing blank lines and rules ("____", "-----") left above a removed block. */
export function trimTail(lines: readonly string[]): string[] {
  const out = [...lines];
  while (out.length > 0 && (isBlank(out[out.length - 1] ?? '') || isRuleLine(out[out.length - 1] ?? ''))) {
    out.pop();
  }
  return out;
}

/** Removes the signature block of a text that holds no quote. Never throws. */
export function stripSignature(text: string): string {
  const lines = normalizeText(text).split('\n');
  return trimTail(lines.slice(0, signatureStart(lines)))
    .join('\n')
    .trim();
}
