/**
 * How often the model is asked, and what it costs in tokens, on the demo mailbox and on public
 * corpora: every message goes through the real pipeline (store → triage → skills) on an
 * in-memory database, with the model played by a local OpenAI-compatible server that answers
 * every call (so each call the pipeline makes is counted). Then the same messages run again on a
 * fresh database that keeps only the model cache: what the cache saves on a re-run.
 *
 * Tokens come from the test server, which estimates them as ceil(characters / 4) of the prompt
 * and of the answer; a real tokenizer differs by roughly ±25%, so read them as sizes, not bills.
 *
 * Run: `npx node bench/model-calls.ts` (prints a table, writes bench/out/model-calls.json).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_IDENTITY, DEMO_MAILBOX } from '../src/commands/demo.command.ts';
import { loadConfig } from '../src/config/config.ts';
import { type DatabaseHandle, openDatabase } from '../src/db/db.ts';
import { migrate } from '../src/db/migrator.ts';
import { FIELDS } from '../src/extract/extract.llm.ts';
import { storeFetchedBatch } from '../src/ingest/message.repository.ts';
import { handleProcessJob, type PipelineDeps } from '../src/jobs/handlers.ts';
import { skillServices } from '../src/runtime.ts';
import { systemClock } from '../src/shared/clock.ts';
import { sha256Hex } from '../src/shared/ids.ts';
import { silentLogger } from '../src/shared/logger.ts';
import { MODEL_CATEGORIES } from '../src/triage/triage.prompt.ts';
import { startOpenAiServer } from '../test/support/openai-server.ts';
import { CORPORA } from './lib/text.ts';

const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out', 'model-calls.json');
const OWNER = DEMO_IDENTITY.OWNER_EMAIL;
const ASSISTANT = DEMO_IDENTITY.ASSISTANT_EMAIL;

/** A message from a corpus line or body, addressed as the corpus implies. */
function wrap(o: {
  from: string;
  to?: string;
  cc?: string;
  subject: string;
  body: string;
  id: string;
}): Buffer {
  return Buffer.from(
    [
      `From: ${o.from}`,
      `To: ${o.to ?? ASSISTANT}`,
      ...(o.cc ? [`Cc: ${o.cc}`] : []),
      `Subject: ${o.subject}`,
      `Message-ID: <${o.id}@bench.example>`,
      'Date: Mon, 02 Mar 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      o.body,
      '',
    ].join('\r\n'),
  );
}

function files(dir: string, re: RegExp): string[] {
  return readdirSync(dir)
    .filter((f) => re.test(f))
    .sort();
}

function sets(): Array<{ name: string; messages: Buffer[] }> {
  const demo = files(DEMO_MAILBOX, /\.eml$/).map((f) => readFileSync(join(DEMO_MAILBOX, f)));
  const mp = join(CORPORA, 'mailparser', 'fixtures');
  const mailparser = files(mp, /\.eml$/).map((f) => readFileSync(join(mp, f)));
  const fp = join(CORPORA, 'email-forward-parser', 'fixtures');
  const forwards = files(fp, /_body\.txt$/).map((f, i) => {
    const subject = (() => {
      try {
        return readFileSync(join(fp, f.replace(/_body\.txt$/, '_subject.txt')), 'utf8').trim();
      } catch {
        return 'Fwd: (no subject)';
      }
    })();
    return wrap({
      from: `Maya Chen <${OWNER}>`,
      subject,
      body: readFileSync(join(fp, f), 'utf8'),
      id: `fwd${i}`,
    });
  });
  const gh = join(CORPORA, 'email-reply-parser', 'github', 'emails');
  const replies = files(gh, /\.txt$/).map((f, i) =>
    wrap({
      from: 'Sam Ortiz <sam@partner.example>',
      to: OWNER,
      cc: ASSISTANT,
      subject: 'Re: our project',
      body: readFileSync(join(gh, f), 'utf8'),
      id: `reply${i}`,
    }),
  );
  const tsv = readFileSync(join(CORPORA, 'email-intent-parakweet', 'train-Ask0729-fixed.tsv'), 'utf8')
    .split('\n')
    .map((l) => l.split('\t')[1]?.trim() ?? '')
    .filter((s) => s.length > 0);
  // Every 12th sentence (≈300): a spread over the file, the same on every run.
  const asks = tsv
    .filter((_, i) => i % 12 === 0)
    .map((s, i) =>
      wrap({
        from: 'Lee Park <lee@client.example>',
        subject: 'Quick note',
        body: `Hi,\n\n${s}\n\nLee`,
        id: `ask${i}`,
      }),
    );
  return [
    { name: 'demo mailbox', messages: demo },
    { name: 'mailparser fixtures', messages: mailparser },
    { name: 'forwards (email-forward-parser)', messages: forwards },
    { name: 'replies, CC (email-reply-parser)', messages: replies },
    { name: 'one-line mails (parakweet)', messages: asks },
  ];
}

interface LabelStats {
  requests: number;
  cached: number;
  promptTokens: number;
  completionTokens: number;
}

async function run(
  messages: Buffer[],
  baseUrl: string,
  cacheFrom: DatabaseHandle | null,
): Promise<{ handle: DatabaseHandle; byLabel: Record<string, LabelStats> }> {
  const config = loadConfig({
    ...DEMO_IDENTITY,
    DATA_DIR: ':memory:',
    OPENAI_BASE_URL: baseUrl,
    LLM_MODEL: 'gpt-4o-mini',
    LLM_MAX_RETRIES: '0',
  });
  const handle = await openDatabase(config.database);
  await migrate(handle);
  if (cacheFrom) {
    const rows = await cacheFrom.db.selectFrom('llm_cache').selectAll().execute();
    for (const r of rows) {
      await handle.db
        .insertInto('llm_cache')
        .values({
          cache_key: r.cache_key,
          model: r.model,
          response: JSON.stringify(r.response),
          created_at: r.created_at,
        })
        .execute();
    }
  }
  const deps: PipelineDeps = {
    db: handle.db,
    config,
    clock: systemClock,
    log: silentLogger(),
    jobs: {
      enqueueProcess: async () => undefined,
      enqueueSend: async () => undefined,
      close: async () => undefined,
    },
    filing: null,
    ...skillServices(config, handle, systemClock),
    authenticate: async () => ({ authenticated: true, method: 'disabled', domain: null, reason: 'bench' }),
  };
  let uid = 0;
  for (const raw of messages) {
    uid++;
    const stored = await handle.db.transaction().execute((trx) =>
      storeFetchedBatch(
        trx,
        'bench',
        '1',
        [
          {
            uid,
            size: raw.length,
            internalDate: null,
            raw,
            messageId: null,
            sha256: sha256Hex(raw),
            subject: null,
            from: null,
          },
        ],
        { lastUid: uid, highestModseq: null },
      ),
    );
    for (const id of stored.newIds) await handleProcessJob(deps, id);
  }
  const calls = await handle.db
    .selectFrom('llm_calls')
    .select(['label', 'outcome', 'prompt_tokens', 'completion_tokens'])
    .execute();
  const byLabel: Record<string, LabelStats> = {};
  for (const c of calls) {
    const s = byLabel[c.label] ?? { requests: 0, cached: 0, promptTokens: 0, completionTokens: 0 };
    byLabel[c.label] = s;
    if (c.outcome === 'cached') s.cached++;
    else s.requests++;
    s.promptTokens += c.prompt_tokens ?? 0;
    s.completionTokens += c.completion_tokens ?? 0;
  }
  return { handle, byLabel };
}

/**
 * The stand-in model agrees with the rules' guess (named in the prompt), so what follows triage
 * (drafts for requests, …) happens as often as the rules alone would make it happen.
 */
// biome-ignore lint/suspicious/noExplicitAny: the request body is whatever the client sent.
function answerFor(name: string | undefined, body: any): unknown {
  if (name === 'triage') {
    const prompt = String(body?.messages?.at(-1)?.content ?? '');
    const guess = /The rules guessed "([a-z_]+)"/.exec(prompt)?.[1] ?? 'fyi';
    const category = (MODEL_CATEGORIES as readonly string[]).includes(guess) ? guess : 'fyi';
    return { category, ask: '', confidence: 0.8, reason: 'agrees with the rules' };
  }
  if (name === 'document_fields') {
    // Finds nothing the readers missed: every field null (the evidence check has nothing to test).
    const none = { value: null, quote: null };
    return Object.fromEntries(FIELDS.map((f) => [f, none]));
  }
  if (name === 'reply_draft')
    return { body: 'Hi,\n\nThank you — noted, I will come back to you.\n\nBest,\nMaya', openQuestions: [] };
  return {
    understood: false,
    kind: null,
    vendor: null,
    vendorDomain: null,
    maxAmount: null,
    minAmount: null,
    currency: null,
    fromAddress: null,
    fromDomain: null,
    keyword: null,
    keywordIn: null,
    folder: null,
    days: [],
    before: null,
    after: null,
    quote: '',
    reason: 'not a rule',
  };
}

const server = await startOpenAiServer((body) => ({
  json: answerFor(body?.response_format?.json_schema?.name, body),
}));
const results: unknown[] = [];
const total: Record<string, LabelStats> = {};
let totalMessages = 0;
let totalRerunRequests = 0;
let totalAsked = 0;
try {
  console.log('set                                   msgs  model asked  per 100   by label');
  for (const set of sets()) {
    const first = await run(set.messages, server.baseUrl, null);
    const again = await run(set.messages, server.baseUrl, first.handle);
    const requests = Object.values(first.byLabel).reduce((a, s) => a + s.requests, 0);
    const askedFirst = Object.values(first.byLabel).reduce((a, s) => a + s.requests + s.cached, 0);
    const rerun = Object.values(again.byLabel).reduce((a, s) => a + s.requests, 0);
    const rerunCached = Object.values(again.byLabel).reduce((a, s) => a + s.cached, 0);
    await first.handle.close();
    await again.handle.close();
    totalMessages += set.messages.length;
    totalRerunRequests += rerun;
    for (const [label, s] of Object.entries(first.byLabel)) {
      const t = total[label] ?? { requests: 0, cached: 0, promptTokens: 0, completionTokens: 0 };
      total[label] = t;
      t.requests += s.requests;
      t.promptTokens += s.promptTokens;
      t.completionTokens += s.completionTokens;
    }
    const per100 = (100 * askedFirst) / set.messages.length;
    const labels = Object.entries(first.byLabel)
      .map(([l, s]) => `${l} ${s.requests + s.cached}`)
      .join(', ');
    console.log(
      `${set.name.padEnd(37)} ${String(set.messages.length).padStart(4)}  ${String(askedFirst).padStart(11)}  ${per100.toFixed(1).padStart(7)}   ${labels || '-'}`,
    );
    console.log(
      `${''.padEnd(37)} first run: ${requests} HTTP requests (${askedFirst - requests} identical prompts from the cache); re-run: ${rerun} requests, ${rerunCached} from the cache`,
    );
    totalAsked += askedFirst;
    results.push({
      set: set.name,
      messages: set.messages.length,
      asked: askedFirst,
      requests,
      per100,
      byLabel: first.byLabel,
      rerun: { requests: rerun, cached: rerunCached },
    });
  }
  const all = Object.values(total).reduce((a, s) => a + s.requests, 0);
  console.log(
    `\nall sets: ${totalMessages} messages, model asked ${totalAsked} times = ${((100 * totalAsked) / totalMessages).toFixed(1)} per 100 messages (${all} HTTP requests)`,
  );
  console.log('tokens per HTTP request by label (estimated, chars/4):');
  for (const [label, s] of Object.entries(total)) {
    console.log(
      `  ${label.padEnd(22)} ${String(s.requests).padStart(5)} calls  prompt ${(s.promptTokens / Math.max(1, s.requests)).toFixed(0).padStart(5)}  completion ${(s.completionTokens / Math.max(1, s.requests)).toFixed(0).padStart(4)}`,
    );
  }
  const tokens = Object.values(total).reduce((a, s) => a + s.promptTokens + s.completionTokens, 0);
  console.log(
    `re-run of everything: ${totalRerunRequests} requests instead of ${all} (the cache saves ${all - totalRerunRequests} calls, ≈${tokens} tokens)`,
  );
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify({ results, total }, null, 2)}\n`);
} finally {
  await server.close();
}
