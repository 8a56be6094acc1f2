/**
 * Spam verdicts that the receiving mail system already wrote into the headers. deskhand does
 * not filter spam itself; it believes the filter in front of its mailbox (SpamAssassin, rspamd,
 * Exchange Online Protection). A sender can forge these only to hurt itself.
 */

/** SpamAssassin's default `required_score`; rspamd adds its header from 6 by default. */
const SPAMASSASSIN_THRESHOLD = 5;
const RSPAMD_THRESHOLD = 6;
/** Exchange spam confidence level: 5 and 6 go to Junk, 9 is high confidence spam. */
const EXCHANGE_SCL_THRESHOLD = 5;

/** The reason the message is spam according to its headers, or null. `headers` has lower-case names. */
export function spamVerdict(headers: Readonly<Record<string, string>>): string | null {
  const flag = headers['x-spam-flag'];
  if (flag !== undefined && /^\s*yes\b/i.test(flag)) return 'X-Spam-Flag: YES';
  const status = headers['x-spam-status'];
  if (status !== undefined && /^\s*yes\b/i.test(status)) return `X-Spam-Status: ${clip(status)}`;
  const rspamd = headers['x-spam'];
  if (rspamd !== undefined && /^\s*yes\b/i.test(rspamd)) return 'X-Spam: Yes';
  return scoreVerdict(headers) ?? exchangeVerdict(headers);
}

function scoreVerdict(headers: Readonly<Record<string, string>>): string | null {
  const score = parseScore(headers['x-spam-score']);
  if (score !== null && score >= SPAMASSASSIN_THRESHOLD) return `X-Spam-Score: ${score}`;
  const rspamd = parseScore(headers['x-rspamd-score']);
  if (rspamd !== null && rspamd >= RSPAMD_THRESHOLD) return `X-Rspamd-Score: ${rspamd}`;
  const level = headers['x-spam-level'];
  if (level !== undefined && (level.match(/\*/g)?.length ?? 0) >= SPAMASSASSIN_THRESHOLD) {
    return `X-Spam-Level: ${level.trim()}`;
  }
  return null;
}

function exchangeVerdict(headers: Readonly<Record<string, string>>): string | null {
  const scl = parseScore(headers['x-ms-exchange-organization-scl']);
  if (scl !== null && scl >= EXCHANGE_SCL_THRESHOLD) return `X-MS-Exchange-Organization-SCL: ${scl}`;
  const report = headers['x-forefront-antispam-report'];
  if (report !== undefined) {
    if (/(^|;)\s*SFV:SPM\s*(;|$)/i.test(report)) return 'X-Forefront-Antispam-Report: SFV:SPM';
    const reportScl = /(^|;)\s*SCL:(-?\d+)/i.exec(report)?.[2];
    if (reportScl !== undefined && Number(reportScl) >= EXCHANGE_SCL_THRESHOLD) {
      return `X-Forefront-Antispam-Report: SCL:${reportScl}`;
    }
  }
  return null;
}

function parseScore(value: string | undefined): number | null {
  if (value === undefined) return null;
  const match = /-?\d+(\.\d+)?/.exec(value);
  return match === null ? null : Number(match[0]);
}

function clip(value: string): string {
  const oneLine = value.replace(/\s+/g, ' ').trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 80)}…` : oneLine;
}
