/**
 * HTML body → plain text, for bodies that came without a text/plain part.
 *
 * Choices, made for reading mail rather than rendering it:
 * - no word wrap: lines stay as the sender's paragraphs, which keeps quote headers
 *   ("On …, Bob <bob@x> wrote:") on one line for `reply.ts`;
 * - `<blockquote>` becomes `> ` lines, so quoted history is recognisable as in text mail;
 * - link URLs are dropped, the link text is kept: inline "[https://…]" noise broke
 *   header and reply matching, and the raw HTML (kept on the message) still has them;
 * - images are dropped, headings keep their case, tables are read row by row
 *   (mail uses tables for layout; column padding would inject long blank runs).
 *
 * Pure: html-to-text only parses. Never throws.
 */
import { compile } from 'html-to-text';

/** Input beyond this is cut before parsing (html-to-text would warn on stderr instead). */
const MAX_HTML_CHARS = 4 * 1024 * 1024;

const block = (selector: string) => ({
  selector,
  format: 'block',
  options: { leadingLineBreaks: 1, trailingLineBreaks: 1 },
});

const convert = compile({
  wordwrap: false,
  limits: { maxInputLength: MAX_HTML_CHARS, maxDepth: 256 },
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'head', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'script', format: 'skip' },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((h) => ({ selector: h, options: { uppercase: false } })),
    block('table'),
    block('tr'),
    { selector: 'td', format: 'inlineCell' },
    { selector: 'th', format: 'inlineCell' },
  ],
  formatters: {
    // A cell is its content followed by a space, so "Total" and "42.00" do not run together.
    inlineCell: (elem, walk, builder) => {
      walk(elem.children, builder);
      builder.addInline(' ');
    },
  },
});

/** Crude fallback for input html-to-text cannot take (never expected; keeps the contract "never throws"). */
function stripTags(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]*>[^<]*<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|tr|li|h\d)>/gi, '\n')
    .replace(/<[^<>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Converts an HTML mail body to readable plain text (see the module notes for the choices). */
export function htmlToText(html: string): string {
  const input = html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html;
  let text: string;
  try {
    text = convert(input);
  } catch {
    text = stripTags(input);
  }
  return text
    .replace(/\u00A0/g, ' ')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
