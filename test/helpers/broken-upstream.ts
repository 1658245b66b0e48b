import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Upstreams that fail below HTTP, on 127.0.0.1 over real sockets, for the `connect` vs `timeout`
 * failure reasons: a port nobody listens on, a server that drops the connection on every request
 * (undici: UND_ERR_SOCKET "other side closed"), one that resets it (ECONNRESET), and one that
 * never answers.
 */
export type Breakage = 'refused' | 'closed' | 'reset' | 'silent';

export interface BrokenUpstream {
  url: string;
  close(): Promise<void>;
}

export async function brokenUpstream(kind: Breakage): Promise<BrokenUpstream> {
  const server = createServer((req) => {
    if (kind === 'closed') req.socket.destroy();
    if (kind === 'reset') req.socket.resetAndDestroy();
    // 'silent': never answer; close() ends the held connections.
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = async (s: Server) => {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  };
  // Refused: the port was just ours, and nothing listens on it any more.
  if (kind === 'refused') await stop(server);
  return { url, close: () => (kind === 'refused' ? Promise.resolve() : stop(server)) };
}
