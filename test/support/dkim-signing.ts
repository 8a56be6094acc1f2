/**
 * DKIM signing for tests: a fresh RSA key, its DNS TXT record, and messages built with
 * nodemailer's MailComposer and signed with nodemailer's DKIM signer (the same code the `dkim`
 * option of a transport runs; MailComposer alone does not sign).
 */
import { generateKeyPairSync } from 'node:crypto';
import DKIM from 'nodemailer/lib/dkim/index.js';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';

export interface DkimKey {
  domain: string;
  selector: string;
  privateKey: string;
  /** `<selector>._domainkey.<domain>` */
  recordName: string;
  /** The TXT record value: `v=DKIM1; k=rsa; p=…` */
  record: string;
}

/** A new 2048-bit RSA key for `domain` (RFC 8301 asks for at least 1024 bits). */
export function makeDkimKey(domain: string, selector = 'sel'): DkimKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    domain,
    selector,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    recordName: `${selector}._domainkey.${domain}`,
    record: `v=DKIM1; k=rsa; p=${p}`,
  };
}

export interface TestMail {
  from: string;
  to?: string;
  subject?: string;
  text?: string;
  headers?: Record<string, string>;
}

/** The RFC 5322 bytes of a plain-text message (CRLF line ends). */
export async function composeMail(mail: TestMail): Promise<Buffer> {
  return await new MailComposer({
    from: mail.from,
    to: mail.to ?? 'assistant@deskhand.example',
    subject: mail.subject ?? 'Re: Approve invoice 2024-0042?',
    text: mail.text ?? 'Yes, approved.\n',
    inReplyTo: '<approval-1@deskhand.example>',
    references: '<approval-1@deskhand.example>',
    headers: mail.headers,
  })
    .compile()
    .build();
}

/** `raw` with a DKIM-Signature of `key` on top. */
export async function dkimSign(raw: Buffer, key: DkimKey): Promise<Buffer> {
  const signer = new DKIM({ domainName: key.domain, keySelector: key.selector, privateKey: key.privateKey });
  const chunks: Buffer[] = [];
  for await (const chunk of signer.sign(raw)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `raw` with these header lines put on top (as a receiving server would prepend them). */
export function prependHeaders(raw: Buffer, ...lines: string[]): Buffer {
  return Buffer.concat([Buffer.from(lines.map((l) => `${l}\r\n`).join('')), raw]);
}
