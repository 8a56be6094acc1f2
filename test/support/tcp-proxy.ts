import net from 'node:net';

/**
 * A loopback TCP proxy whose live connections can be "black-holed": bytes stop flowing
 * both ways but no FIN or RST is sent — what a dead NAT entry or a pulled cable looks
 * like to the client. New connections after `blackhole()` flow normally.
 */
export async function startProxy(targetPort: number): Promise<{
  port: number;
  blackhole(): void;
  connections(): number;
  close(): Promise<void>;
}> {
  const live = new Set<{ client: net.Socket; upstream: net.Socket; dead: boolean }>();
  let total = 0;
  const server = net.createServer((client) => {
    total++;
    const upstream = net.connect(targetPort, '127.0.0.1');
    const pair = { client, upstream, dead: false };
    live.add(pair);
    client.on('data', (d) => pair.dead || upstream.write(d));
    upstream.on('data', (d) => pair.dead || client.write(d));
    const end = () => {
      live.delete(pair);
      if (!pair.dead) {
        client.destroy();
        upstream.destroy();
      }
    };
    client.on('close', end).on('error', () => undefined);
    upstream.on('close', end).on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    blackhole() {
      for (const p of live) p.dead = true;
    },
    connections: () => total,
    async close() {
      for (const p of live) {
        p.client.destroy();
        p.upstream.destroy();
      }
      await new Promise((r) => server.close(r));
    },
  };
}
