/**
 * Which of the owner's lines decide the verdict: the first few that say something. Owners answer
 * up front ("Yes, send it" above everything else); what follows is context, a later thought or a
 * sign-off, and reading it would turn "Yes. … (three paragraphs) … no idea why they ask" into a
 * doubt. Greetings ("Hi deskhand,") and the approval reference are passed over, so they do not
 * use up a line. Pure.
 */
import { TOKEN_PATTERN } from './reply.markers.ts';

/** Lines that decide. */
export const DECISION_LINES = 3;
/** Characters that decide, at most: a long first paragraph is cut at a word. */
export const DECISION_CHARS = 500;

const GREETING =
  /^(?:hi|hello|hey|dear|hallo|moin|servus|guten\s+(?:morgen|tag|abend)|bonjour|salut|hola|buenos\s+d[ií]as|ciao|hoi|goedemorgen)(?![\p{L}])/iu;

/** The line without a greeting ("Hi Dana, yes" → "yes"); '' for a greeting line ("Hello deskhand"). */
function withoutGreeting(line: string): string {
  const g = GREETING.exec(line);
  if (!g) return line;
  const rest = line.slice(g[0].length);
  const punct = /^(?:\s+[\p{L}.'-]+){0,3}\s*[,!:]\s*/u.exec(rest);
  if (punct) return rest.slice(punct[0].length);
  return /^(?:\s+[\p{L}.'-]+){0,2}\s*$/u.test(rest) ? '' : line;
}

/** The first lines of the owner's text that say something, joined, at most DECISION_CHARS long. */
export function decisionText(text: string): string {
  const picked: string[] = [];
  for (const raw of text.split('\n')) {
    if (picked.length >= DECISION_LINES) break;
    const line = withoutGreeting(raw.replace(TOKEN_PATTERN, ' ').trim()).trim();
    if (line !== '') picked.push(line);
  }
  const joined = picked.join('\n');
  if (joined.length <= DECISION_CHARS) return joined;
  const cut = joined.lastIndexOf(' ', DECISION_CHARS);
  return joined.slice(0, cut > DECISION_CHARS / 2 ? cut : DECISION_CHARS);
}
