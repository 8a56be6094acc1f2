/**
 * Scores a forward parser on ../shared/corpora/email-forward-parser (README §3):
 * every `expect` key, plus how often the original sender's address is recovered.
 */
import { norm, readCorpus, readCorpusJson } from './text.ts';

/** The shape the corpus keys address (email-forward-parser's own result). */
export interface ForwardView {
  forwarded: boolean;
  message: string | null;
  email: {
    subject?: string | null;
    body?: string | null;
    date?: string | null;
    from?: { address?: string | null; name?: string | null } | null;
    to?: { address?: string | null; name?: string | null }[];
    cc?: { address?: string | null; name?: string | null }[];
  };
}

export type ForwardParser = (body: string, subject: string | null) => ForwardView;

interface Case {
  id: string;
  group: string;
  body_file: string;
  subject_file: string | null;
  expect: Record<string, unknown>;
}

export interface GroupScore {
  cases: number;
  senderOk: number;
  senderTotal: number;
  keysOk: number;
  keysTotal: number;
}

export interface ForwardScore {
  groups: Record<string, GroupScore>;
  overall: GroupScore;
  failures: { id: string; keys: string[] }[];
}

const blank = (v: unknown) => v === null || v === undefined || v === '';

function valueAt(view: ForwardView, key: string): unknown {
  const m = /^email\.(to|cc)\[(\d+)\]\.(address|name)$/.exec(key);
  if (m) return view.email[m[1] as 'to' | 'cc']?.[Number(m[2])]?.[m[3] as 'address' | 'name'];
  switch (key) {
    case 'forwarded':
      return view.forwarded;
    case 'message':
      return view.message;
    case 'email.from.address':
      return view.email.from?.address;
    case 'email.from.name':
      return view.email.from?.name;
    case 'email.cc.length':
      return view.email.cc?.length ?? 0;
    default:
      return view.email[key.replace('email.', '') as 'subject' | 'body' | 'date'];
  }
}

function keyOk(view: ForwardView, key: string, want: unknown): boolean {
  if (key === 'email.date') return typeof view.email.date === 'string' && view.email.date.trim() !== '';
  if (key === 'email.body startsWith') return norm(view.email.body).startsWith(norm(String(want)));
  const got = valueAt(view, key);
  if (typeof want === 'boolean' || typeof want === 'number') return got === want;
  if (want === null) return blank(got);
  return !blank(got) && norm(String(got)) === norm(String(want));
}

function emptyScore(): GroupScore {
  return { cases: 0, senderOk: 0, senderTotal: 0, keysOk: 0, keysTotal: 0 };
}

export function scoreForward(parse: ForwardParser): ForwardScore {
  const { cases } = readCorpusJson<{ cases: Case[] }>('email-forward-parser', 'expected.json');
  const groups: Record<string, GroupScore> = {};
  const overall = emptyScore();
  const failures: ForwardScore['failures'] = [];
  for (const c of cases) {
    const body = readCorpus('email-forward-parser', c.body_file);
    const subject = c.subject_file ? readCorpus('email-forward-parser', c.subject_file).trim() : null;
    const view = parse(body, subject);
    groups[c.group] ??= emptyScore();
    const group = groups[c.group] as GroupScore;
    const failed: string[] = [];
    for (const [key, want] of Object.entries(c.expect)) {
      const ok = keyOk(view, key, want);
      if (!ok) failed.push(key);
      for (const s of [group, overall]) {
        s.keysTotal++;
        if (ok) s.keysOk++;
      }
    }
    const sender = c.expect['email.from.address'];
    for (const s of [group, overall]) {
      s.cases++;
      if (typeof sender === 'string') {
        s.senderTotal++;
        if (view.email.from?.address === sender) s.senderOk++;
      }
    }
    if (failed.length > 0) failures.push({ id: c.id, keys: failed });
  }
  return { groups, overall, failures };
}

export interface EditedSubjectScore {
  senderOk: number;
  senderTotal: number;
  negativesOk: number;
  negativesTotal: number;
}

/**
 * Robustness variant: the same fixtures as they arrive when the forwarder edited the
 * subject (no "Fwd:" prefix). Real mail always has a subject, so this is the case the
 * library meets whenever a user retypes it; only explicit forward separators can tell.
 */
export function scoreEditedSubject(parse: ForwardParser, subject = 'Please have a look'): EditedSubjectScore {
  const { cases } = readCorpusJson<{ cases: Case[] }>('email-forward-parser', 'expected.json');
  const out: EditedSubjectScore = { senderOk: 0, senderTotal: 0, negativesOk: 0, negativesTotal: 0 };
  for (const c of cases) {
    const view = parse(readCorpus('email-forward-parser', c.body_file), subject);
    const sender = c.expect['email.from.address'];
    if (c.expect.forwarded === false) {
      out.negativesTotal++;
      if (!view.forwarded) out.negativesOk++;
    } else if (typeof sender === 'string') {
      out.senderTotal++;
      if (view.email.from?.address === sender) out.senderOk++;
    }
  }
  return out;
}
