import type { Category } from '../shared/categories.ts';
import { ConfigError } from '../shared/errors.ts';
import { type Env, envSchema } from './config.schema.ts';

export type FolderCategory = Category;

/** The parsed, frozen configuration every component receives. */
export interface Config {
  readonly env: Env;
  readonly owner: { email: string; name: string; timeZone: string };
  readonly assistant: { email: string; name: string };
  /** Lower-case domains whose people are `team`. */
  readonly teamDomains: readonly string[];
  readonly imap: {
    host: string;
    port: number;
    secure: boolean;
    user: string;
    password: string;
    mailbox: string;
  } | null;
  readonly smtp: { host: string; port: number; secure: boolean; user: string; password: string } | null;
  readonly database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  readonly redisUrl: string | null;
  /** The OpenAI-compatible model, or null: rules only. */
  readonly model: ModelConfig | null;
  readonly folders: Readonly<Record<FolderCategory, string>> & { quarantine: string };
}

export interface ModelConfig {
  apiKey: string;
  baseUrl: string;
  model: string;
  timeoutMs: number;
  maxRetries: number;
}

const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
const OPENAI_DEFAULT_MODEL = 'gpt-4o-mini';

/**
 * A model is configured when any of OPENAI_API_KEY, OPENAI_BASE_URL or LLM_MODEL is set. A local
 * server (Ollama, vLLM, LM Studio) needs no key, so a placeholder is sent; OpenAI itself needs one.
 */
function modelConfig(env: Env): ModelConfig | null {
  if (!env.OPENAI_API_KEY && !env.OPENAI_BASE_URL && !env.LLM_MODEL) return null;
  const baseUrl = (env.OPENAI_BASE_URL || OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, '');
  if (!env.OPENAI_API_KEY && baseUrl === OPENAI_DEFAULT_BASE_URL) {
    throw new ConfigError(
      'Configuration is invalid — OPENAI_API_KEY: required for api.openai.com (set OPENAI_BASE_URL for a local model server)',
    );
  }
  return Object.freeze({
    apiKey: env.OPENAI_API_KEY || 'not-needed',
    baseUrl,
    model: env.LLM_MODEL || OPENAI_DEFAULT_MODEL,
    timeoutMs: env.LLM_TIMEOUT_SECONDS * 1000,
    maxRetries: env.LLM_MAX_RETRIES,
  });
}

const FOLDER_NAMES: Record<FolderCategory, string> = {
  invoice: 'Invoices',
  receipt: 'Receipts',
  document: 'Documents',
  meeting: 'Meetings',
  request: 'Requests',
  fyi: 'FYI',
  newsletter: 'Newsletters',
  spam: 'Spam',
  auto_reply: 'Auto-replies',
  bounce: 'Bounces',
};

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/**
 * Parses the environment once. A wrong value throws a ConfigError whose message
 * names each bad variable and why, e.g. `OWNER_TIMEZONE: must be an IANA time zone`.
 */
export function loadConfig(source: Record<string, string | undefined>): Config {
  const cleaned: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (v !== undefined && v !== '') cleaned[k] = v;
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`);
    throw new ConfigError(`Configuration is invalid — ${lines.join('; ')}`, { issues: lines });
  }
  const env = parsed.data;
  const teamDomains = (env.TEAM_DOMAINS.length ? env.TEAM_DOMAINS : [domainOf(env.OWNER_EMAIL)]).map((d) =>
    d.toLowerCase(),
  );
  const imap = env.IMAP_HOST
    ? {
        host: env.IMAP_HOST,
        port: env.IMAP_PORT,
        secure: env.IMAP_SECURE,
        user: env.IMAP_USER || env.ASSISTANT_EMAIL,
        password: env.IMAP_PASSWORD,
        mailbox: env.IMAP_MAILBOX,
      }
    : null;
  const smtp = env.SMTP_HOST
    ? {
        host: env.SMTP_HOST,
        port: env.SMTP_PORT,
        secure: env.SMTP_SECURE,
        user: env.SMTP_USER,
        password: env.SMTP_PASSWORD,
      }
    : null;
  const prefix = env.FOLDER_PREFIX ? `${env.FOLDER_PREFIX}/` : '';
  const names: Record<string, string> = { ...FOLDER_NAMES };
  for (const pair of env.FOLDER_NAMES.split(',').filter(Boolean)) {
    const [key, value] = pair.split('=').map((x) => x.trim()) as [string, string];
    if (!(key in FOLDER_NAMES) && key !== 'quarantine') {
      throw new ConfigError(
        `Configuration is invalid — FOLDER_NAMES: unknown category "${key}" (one of ${Object.keys(FOLDER_NAMES).join(', ')}, quarantine)`,
      );
    }
    names[key] = value;
  }
  const folders = Object.fromEntries(
    Object.keys(FOLDER_NAMES).map((k) => [k, `${prefix}${names[k]}`]),
  ) as Record<FolderCategory, string>;
  return Object.freeze({
    env: Object.freeze(env),
    owner: Object.freeze({
      email: env.OWNER_EMAIL.toLowerCase(),
      name: env.OWNER_NAME,
      timeZone: env.OWNER_TIMEZONE,
    }),
    assistant: Object.freeze({ email: env.ASSISTANT_EMAIL.toLowerCase(), name: env.ASSISTANT_NAME }),
    teamDomains: Object.freeze(teamDomains),
    imap: imap && Object.freeze(imap),
    smtp: smtp && Object.freeze(smtp),
    database: env.DATABASE_URL
      ? { kind: 'postgres' as const, url: env.DATABASE_URL }
      : { kind: 'pglite' as const, dataDir: env.DATA_DIR },
    redisUrl: env.REDIS_URL || null,
    model: modelConfig(env),
    folders: Object.freeze({ ...folders, quarantine: `${prefix}${names['quarantine'] ?? 'Quarantine'}` }),
  });
}
