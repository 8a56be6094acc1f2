import { checked, type SentenceResult } from './instruction.parse.result.ts';
import { classifySender, type Sender } from './instruction.sender.ts';

/**
 * Mail-handling rules from one sentence: filing ("file anything from the bank under Statements")
 * and ignoring a sender ("ignore mail from noreply@x.example"). Pure.
 */

// Greedy `obj`: the folder follows the last preposition, so "in the subject … under Invoices" works.
const FILE =
  /\b(?:put|move|file|sort|archive|label|drop|store)\s+(?<obj>.+)\s+(?:into|under|in|to|as)\s+(?<folder>.+)$/i;
/** "Anything from the bank goes into Statements": the same parts, subject first. */
const GOES =
  /^(?<obj>(?:anything|everything|all|any|mail|e-?mails?|messages)\b.+?)\s+(?:goes|go|should go|belongs?|can go|has to go)\s+(?:into|under|in|to)\s+(?<folder>.+)$/i;
const FOLDER_TAIL = /^(?<folder>.+?)\s+(?:(?:that|which) (?:comes?|is|are) )?from\s+(?<who>.+)$/i;
const ONE_OFF = /^(?:this|that|these|those|it|them|the (?:last|latest|previous)|today'?s|yesterday'?s)\b/i;
const FROM = /\bfrom\s+(?<who>.+?)(?=\s+(?:with|containing|mentioning|about|that|which|saying)\b|$)/i;
const SUBJECT_WORD =
  /\b(?:with|containing|mentioning|about|that mentions?|that contains?|which mentions?|saying)\s+["“]?(?<kw>[^"”]+?)["”]?(?:\s+in (?:the|its|their) subject(?: line)?)?$/i;
const GENERAL =
  /^(?:(?:all|any|every|each|incoming|new|the)\s+)*(?:anything|everything|mail|e-?mails?|messages)$/i;
const NOUN_KEYWORD =
  /^(?:(?:all|any|every|each|incoming|new|the)\s+)*(?<kw>.+?)\s+(?:mail|e-?mails?|messages|notifications|newsletters|statements|receipts|alerts)$/i;

/** A clean folder name, or null when the words after the preposition are not one. */
function folderName(raw: string): string | null {
  const f = raw
    .replace(/[.!?]+$/, '')
    .replace(/^(?:the|my|a|our)\s+/i, '')
    .replace(/^(?:folder|label|directory|mailbox)\s+/i, '')
    .replace(/\s+(?:folder|label|directory|mailbox)$/i, '')
    .replace(/^["'“‘]+|["'”’]+$/g, '')
    .trim();
  if (!f || f.length > 60 || f.split(/\s+/).length > 6) return null;
  if (/^(?:it|there|here|them|the inbox|inbox)$/i.test(f)) return null;
  return f;
}

type KeywordIn = 'sender' | 'subject' | 'sender_or_subject';

/** `from` and keyword criteria from the object of a filing sentence ("anything from the bank"). */
function criteria(
  obj: string,
):
  | { sender: Sender | null; keyword: string | null; keywordIn: KeywordIn | null }
  | { reason: string }
  | null {
  if (ONE_OFF.test(obj)) return null;
  let head = obj;
  let sender: Sender | null = null;
  let keyword: string | null = null;
  let keywordIn: KeywordIn | null = null;
  const subject = SUBJECT_WORD.exec(head);
  if (subject?.groups?.kw) {
    keyword = subject.groups.kw.trim();
    keywordIn = 'subject';
    head = head.slice(0, subject.index).trim();
  }
  const from = FROM.exec(head);
  if (from?.groups?.who) {
    sender = classifySender(from.groups.who);
    if (!sender) return null;
    head = head.slice(0, from.index).trim();
  }
  if (!GENERAL.test(head)) {
    const noun = NOUN_KEYWORD.exec(head)?.groups?.kw;
    if (!noun || keyword) return null;
    keyword = noun.trim();
    keywordIn = 'sender_or_subject';
  }
  if (sender?.kind === 'name') {
    if (keyword) return { reason: 'a filing rule takes one keyword; name an address or domain instead' };
    keyword = sender.name;
    keywordIn = 'sender';
    sender = null;
  }
  return { sender, keyword, keywordIn };
}

/** A filing rule in `sentence`, a reason it cannot be recorded, or null if it is none. */
export function parseFilingRule(sentence: string): SentenceResult | null {
  const m = FILE.exec(sentence) ?? GOES.exec(sentence);
  if (!m?.groups?.obj || !m.groups.folder) return null;
  let obj = m.groups.obj;
  let folderRaw = m.groups.folder;
  const tail = FOLDER_TAIL.exec(folderRaw);
  if (tail?.groups?.folder && tail.groups.who) {
    folderRaw = tail.groups.folder;
    obj = `${obj} from ${tail.groups.who}`;
  }
  const folder = folderName(folderRaw);
  const c = criteria(obj.trim());
  if (!c || 'reason' in c) return c;
  if (!folder) return { reason: 'I could not tell which folder to file into' };
  return checked({
    kind: 'file_messages',
    fromAddress: c.sender?.kind === 'address' ? c.sender.address : null,
    fromDomain: c.sender?.kind === 'domain' ? c.sender.domain : null,
    keyword: c.keyword,
    keywordIn: c.keywordIn,
    folder,
  });
}

const IGNORE: RegExp[] = [
  /\bignore\s+(?<mail>(?:all\s+|any\s+|every\s+)?(?:(?:mail|e-?mails?|messages|newsletters|notifications)\s+from\s+))?(?<who>.+)$/i,
  /\b(?:never|don'?t|do not)\s+(?:draft|write|prepare|send)\s+(?:any\s+)?(?:replies|reply|answers?|responses?)\s+to\s+(?<mail>(?:(?:any|all)\s+)?(?:(?:mail|e-?mails?|messages)\s+from\s+))?(?<who>.+)$/i,
  /\b(?:never|don'?t|do not)\s+(?:reply|respond|answer)\s+to\s+(?<mail>(?:(?:any|all)\s+)?(?:(?:mail|e-?mails?|messages)\s+from\s+))?(?<who>.+)$/i,
  /\btreat\s+(?<mail>(?:all\s+|any\s+)?(?:(?:mail|e-?mails?|messages)\s+from\s+))?(?<who>.+?)\s+as\s+(?:fyi|information only)\b/i,
];

/** An ignore-sender rule in `sentence`, a reason it cannot be recorded, or null if it is none. */
export function parseIgnoreRule(sentence: string): SentenceResult | null {
  for (const re of IGNORE) {
    const m = re.exec(sentence);
    if (!m?.groups?.who) continue;
    const who = m.groups.who.replace(/\s+(?:anymore|any more|again|at all)\b.*$/i, '');
    const s = classifySender(who);
    if (s?.kind === 'address' || s?.kind === 'domain') {
      return checked({
        kind: 'ignore_sender',
        fromAddress: s.kind === 'address' ? s.address : null,
        fromDomain: s.kind === 'domain' ? s.domain : null,
      });
    }
    if (m.groups.mail && s) return { reason: 'to ignore a sender I need an address or a domain, not a name' };
    return null;
  }
  return null;
}
