import { z } from 'zod';

const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = (def: number) => z.coerce.number().int().min(1).max(65535).default(def);

const list = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

const email = z.email({ message: 'must be an e-mail address like name@example.com' });

/** The actions behind "minutes saved" (docs/metrics.md), with the minutes a person would spend on each. */
export const MINUTES_SAVED_DEFAULTS = Object.freeze({
  /** Reading, sorting and filing one message. */
  triage: 1,
  /** Reading one document (invoice, receipt, contract) and filing its fields. */
  document: 6,
  /** Writing one reply that went out from a deskhand draft. */
  draft: 5,
  /** Arranging one meeting that was booked (offers, back-and-forth, the invite). */
  meeting: 10,
  /** Checking one invoice (duplicates, bank details, PO) before approving it for payment. */
  payment: 2,
});
export type MinutesAction = keyof typeof MINUTES_SAVED_DEFAULTS;
export type MinutesSaved = Readonly<Record<MinutesAction, number>>;

/** "triage=1,draft=5": minutes per action; actions left out keep their default. */
const minutesSaved = z
  .string()
  .default('')
  .transform((s, ctx): MinutesSaved => {
    const out: Record<string, number> = { ...MINUTES_SAVED_DEFAULTS };
    for (const pair of s.split(',').filter((p) => p.trim() !== '')) {
      const m = /^\s*([a-z]+)\s*=\s*(\d+(?:\.\d+)?)\s*$/.exec(pair);
      const known = Object.keys(MINUTES_SAVED_DEFAULTS);
      if (!m) {
        ctx.addIssue({
          code: 'custom',
          message: `must look like "triage=1,document=6,draft=5" (minutes per action), not "${pair.trim()}"`,
        });
        return z.NEVER;
      }
      if (!known.includes(m[1]!)) {
        ctx.addIssue({ code: 'custom', message: `unknown action "${m[1]}" (one of ${known.join(', ')})` });
        return z.NEVER;
      }
      const minutes = Number(m[2]);
      if (minutes > 1440) {
        ctx.addIssue({ code: 'custom', message: `${m[1]}=${m[2]}: at most 1440 minutes per action` });
        return z.NEVER;
      }
      out[m[1]!] = minutes;
    }
    return Object.freeze(out as Record<MinutesAction, number>);
  });

const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone like Europe/Berlin' },
);

/** Every variable deskhand reads. Names are the contract in DESIGN.md; extras are documented in .env.example. */
export const envSchema = z.object({
  OWNER_EMAIL: email.default('owner@example.com'),
  OWNER_NAME: z.string().default('Owner'),
  OWNER_TIMEZONE: timeZone.default('UTC'),
  ASSISTANT_EMAIL: email.default('assistant@example.com'),
  ASSISTANT_NAME: z.string().default('deskhand'),
  TEAM_DOMAINS: list,

  IMAP_HOST: z.string().default(''),
  IMAP_PORT: port(993),
  IMAP_SECURE: bool(true),
  IMAP_USER: z.string().default(''),
  IMAP_PASSWORD: z.string().default(''),
  IMAP_MAILBOX: z.string().default('INBOX'),

  SMTP_HOST: z.string().default(''),
  SMTP_PORT: port(465),
  SMTP_SECURE: bool(true),
  SMTP_USER: z.string().default(''),
  SMTP_PASSWORD: z.string().default(''),

  DATABASE_URL: z
    .string()
    .default('')
    .refine((s) => s === '' || /^postgres(ql)?:\/\//.test(s), {
      message: 'must start with postgres:// (or be unset for the embedded database)',
    }),
  DATA_DIR: z.string().default('./data'),
  REDIS_URL: z
    .string()
    .default('')
    .refine((s) => s === '' || /^rediss?:\/\//.test(s), { message: 'must start with redis:// or rediss://' }),

  OPENAI_API_KEY: z.string().default(''),
  OPENAI_BASE_URL: z
    .string()
    .default('')
    .refine((s) => s === '' || /^https?:\/\/[^\s/]+/.test(s), {
      message: 'must be an http(s) URL like http://127.0.0.1:11434/v1',
    }),
  LLM_MODEL: z.string().default(''),
  /** Seconds one model request may take before it counts as timed out (and is retried). */
  LLM_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(30),
  /** Retries after a timeout, 429, 5xx or connection error; 0 disables them. */
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  /** Triage asks the model only when the rules' confidence is below this (0..1). */
  TRIAGE_MODEL_BELOW: z.coerce.number().min(0).max(1).default(0.7),

  APPROVAL_REQUIRE_AUTH: bool(true),
  /** Hours an approval request stays open; a later answer executes nothing. */
  APPROVAL_EXPIRY_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 90)
    .default(168),
  /** A payment above this amount (any currency) always needs the owner's decision, whatever the rules say. */
  APPROVAL_AMOUNT_THRESHOLD: z.coerce.number().min(0).default(5000),
  /** Put the approval token in a plus-addressed Reply-To (assistant+token@…); turn off if the mailbox has no sub-addressing. */
  APPROVAL_PLUS_ADDRESSING: bool(true),
  TRUSTED_AUTHSERV_IDS: list,
  DNS_SERVERS: list,

  WORKING_HOURS: z
    .string()
    .default('Mon-Fri 09:00-17:30')
    .refine(
      (s) => /^[A-Za-z]{3}(-[A-Za-z]{3})?(,[A-Za-z]{3}(-[A-Za-z]{3})?)* \d{2}:\d{2}-\d{2}:\d{2}$/.test(s),
      {
        message: 'must look like "Mon-Fri 09:00-17:30"',
      },
    ),
  MEETING_MINUTES: z.coerce.number().int().min(5).max(480).default(30),
  /** Extras (not in DESIGN.md's contract): kept clear around every meeting; slots offered per proposal; least notice. */
  MEETING_BUFFER_MINUTES: z.coerce.number().int().min(0).max(240).default(10),
  MEETING_SLOTS: z.coerce.number().int().min(1).max(8).default(3),
  MEETING_NOTICE_HOURS: z.coerce.number().min(0).max(336).default(4),
  CALENDAR_ICS_URLS: list,
  DIGEST_TIME: z
    .string()
    .default('08:00')
    .refine((s) => /^([01]\d|2[0-3]):[0-5]\d$/.test(s), { message: 'must be a 24-hour time like 08:00' }),
  /** Extra: skip the daily digest on days with nothing to say (default: send it anyway, saying so). */
  DIGEST_SKIP_EMPTY: bool(false),
  /** Extra: false sends no daily digest at all (no schedule, no catch-up); `deskhand digest` still works. */
  DIGEST_ENABLED: bool(true),
  /** Extra: minutes a person would spend per action, behind "minutes saved" (docs/metrics.md). */
  METRICS_MINUTES: minutesSaved,

  /** Messages larger than this are not downloaded; they are quarantined with a notice. */
  MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(25 * 1024 * 1024),
  /** Move processed mail into a folder per category. Nothing is ever deleted. */
  FILING_ENABLED: bool(true),
  /** Per-category folder names, e.g. "invoice=Finance/Bills,newsletter=Later" (under FOLDER_PREFIX). */
  FOLDER_NAMES: z
    .string()
    .default('')
    .refine((s) => s === '' || s.split(',').every((p) => /^\s*[a-z_]+\s*=\s*[^=,]+$/.test(p)), {
      message: 'must look like "invoice=Finance/Bills,newsletter=Later"',
    }),
  /** Folder prefix for filing, e.g. "deskhand" gives "deskhand/Invoices". */
  FOLDER_PREFIX: z.string().default('deskhand'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** Seconds between IMAP liveness checks while idling; a check that gets no answer in time reconnects. */
  IMAP_WATCHDOG_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  /** Max replies to one correspondent per hour before the assistant stops and tells the owner. */
  REPLY_RATE_PER_HOUR: z.coerce.number().int().min(1).default(5),
  /** BullMQ key prefix: separate deskhand installations sharing one Redis must differ. */
  QUEUE_PREFIX: z
    .string()
    .default('deskhand')
    .refine((s) => !s.includes(':'), { message: 'must not contain ":"' }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;
