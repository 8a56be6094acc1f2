import net from 'node:net';

/**
 * What the proxy does to the next armed connection:
 * - `drop-before-data`: when the client sends `DATA`, close both sides without forwarding it
 *   (the server never sees the message);
 * - `drop-after-dot`: forward the whole message including the final `\r\n.\r\n`, wait for the
 *   server's reply (so the message is really accepted or refused), then close the client's side
 *   without passing that reply on — the reply lost on the way back (RFC 5321 §6.1);
 * - `tempfail-data`: answer `DATA` with `451 4.3.0` itself, without forwarding it (a definite
 *   refusal before the message went out).
 */
export type SmtpFault = 'drop-before-data' | 'drop-after-dot' | 'tempfail-data';

export interface SmtpFaultEvent {
  connection: number;
  fault: SmtpFault | null;
  /** Client commands seen (the verb and its arguments; AUTH arguments hidden). */
  commands: string[];
  /** True once the client's DATA reached the server. */
  dataForwarded: boolean;
  /** True once a message's final dot reached the server. */
  dotForwarded: boolean;
  /** `drop-after-dot`: the server's reply to the final dot, which the client never saw. */
  swallowedReply: string | null;
  /** Set when the client did something this proxy does not understand (STARTTLS, BDAT…). */
  unexpected: string | null;
}

export interface SmtpFaultProxy {
  port: number;
  /** Applies `fault` to the next `times` connections (default 1); later ones pass through. */
  arm(fault: SmtpFault, times?: number): void;
  /** One entry per connection, in order. */
  events(): SmtpFaultEvent[];
  close(): Promise<void>;
}

const TERMINATOR = Buffer.from('\r\n.\r\n');

/**
 * An SMTP-aware loopback proxy in front of a plain-text SMTP server (no TLS: the client must not
 * use STARTTLS, and the stack's Postfix does not offer it). It follows the client's side of the
 * conversation line by line in command mode and byte by byte in data mode, which is enough to
 * cut the connection at an exact point of the transaction.
 */
export async function startSmtpFaultProxy(
  targetPort: number,
  targetHost = '127.0.0.1',
): Promise<SmtpFaultProxy> {
  const sockets = new Set<net.Socket>();
  const events: SmtpFaultEvent[] = [];
  let armed: { fault: SmtpFault; left: number } | null = null;

  const server = net.createServer((client) => {
    const fault = armed && armed.left > 0 ? armed.fault : null;
    if (armed && fault) {
      armed.left--;
      if (armed.left === 0) armed = null;
    }
    const ev: SmtpFaultEvent = {
      connection: events.length + 1,
      fault,
      commands: [],
      dataForwarded: false,
      dotForwarded: false,
      swallowedReply: null,
      unexpected: null,
    };
    events.push(ev);
    const upstream = net.connect(targetPort, targetHost);
    sockets.add(client);
    sockets.add(upstream);
    let mode: 'command' | 'data' | 'closed' = 'command';
    let pending = Buffer.alloc(0); // command mode: bytes of an unfinished line
    let tail = Buffer.from('\r\n'); // data mode: the last bytes seen, to find a terminator split across chunks
    let swallowing = false; // drop-after-dot: the server's reply goes nowhere
    let replyBuf = '';

    const closeAll = () => {
      mode = 'closed';
      client.destroy();
      upstream.destroy();
    };

    const onCommandBytes = (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (mode !== 'command') return;
        const nl = pending.indexOf('\r\n');
        if (nl === -1) return;
        const line = pending.subarray(0, nl + 2);
        pending = pending.subarray(nl + 2);
        const text = line.toString('latin1').trimEnd();
        const verb = text.split(' ')[0]!.toUpperCase();
        ev.commands.push(verb === 'AUTH' ? 'AUTH …' : text);
        if (verb === 'STARTTLS' || verb === 'BDAT') {
          ev.unexpected = `client sent ${verb}`;
          closeAll();
          return;
        }
        if (verb === 'DATA') {
          if (fault === 'drop-before-data') {
            closeAll();
            return;
          }
          if (fault === 'tempfail-data') {
            client.write('451 4.3.0 deskhand test proxy: try again later\r\n');
            continue;
          }
          upstream.write(line);
          ev.dataForwarded = true;
          mode = 'data';
          tail = Buffer.from('\r\n');
          const rest = pending;
          pending = Buffer.alloc(0);
          if (rest.length) onDataBytes(rest);
          return;
        }
        upstream.write(line);
      }
    };

    const onDataBytes = (chunk: Buffer) => {
      const joined = Buffer.concat([tail, chunk]);
      const at = joined.indexOf(TERMINATOR);
      if (at === -1) {
        upstream.write(chunk);
        tail = joined.subarray(Math.max(0, joined.length - (TERMINATOR.length - 1)));
        return;
      }
      // The terminator ends at joined[at + 5]; in `chunk` that is at + 5 - tail.length.
      const endInChunk = at + TERMINATOR.length - tail.length;
      upstream.write(chunk.subarray(0, endInChunk));
      ev.dotForwarded = true;
      const rest = chunk.subarray(endInChunk);
      if (fault === 'drop-after-dot') {
        swallowing = true;
        mode = 'closed'; // nothing more from the client reaches the server
        return;
      }
      mode = 'command';
      if (rest.length) onCommandBytes(rest);
    };

    client.on('data', (d: Buffer) => {
      if (mode === 'command') onCommandBytes(d);
      else if (mode === 'data') onDataBytes(d);
    });
    upstream.on('data', (d: Buffer) => {
      if (!swallowing) {
        if (!client.destroyed) client.write(d);
        return;
      }
      replyBuf += d.toString('latin1');
      // A complete reply: its last line is `NNN <text>` (no hyphen), CRLF-terminated.
      const lines = replyBuf.split('\r\n');
      if (lines.length < 2 || !lines.slice(0, -1).some((l) => /^\d{3} /.test(l))) return;
      ev.swallowedReply = lines.slice(0, -1).join('\n');
      swallowing = false;
      // Cut the client off first: it must never see the reply. Then leave the server politely.
      client.destroy();
      upstream.end('QUIT\r\n');
    });
    const end = () => {
      sockets.delete(client);
      sockets.delete(upstream);
      if (!swallowing) {
        client.destroy();
        upstream.destroy();
      }
    };
    client.on('close', end).on('error', () => undefined);
    upstream.on('close', () => {
      swallowing = false;
      end();
    });
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    arm(fault, times = 1) {
      armed = { fault, left: times };
    },
    events: () => events.map((e) => ({ ...e, commands: [...e.commands] })),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
