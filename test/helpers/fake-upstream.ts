import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Canned {
  status?: number;
  body: string | object;
  contentType?: string;
  delayMs?: number;
  /** Reset the connection instead of answering (ECONNRESET at the client). */
  reset?: boolean;
}

/**
 * A tiny upstream on 127.0.0.1:0 whose answers tests set per path (billing providers, statement
 * endpoints). It records each request's headers so tests can assert how secrets were sent.
 */
export class FakeUpstream {
  readonly routes = new Map<string, Canned>();
  readonly seen: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] as string;
      this.seen.push({ path, headers: req.headers });
      const c = this.routes.get(path);
      const send = () => {
        if (c?.reset) return void req.socket.resetAndDestroy();
        if (!c) return void res.writeHead(404).end('{"error":"not found"}');
        const body = typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
        res.writeHead(c.status ?? 200, { 'content-type': c.contentType ?? 'application/json' }).end(body);
      };
      if (c?.delayMs) setTimeout(send, c.delayMs);
      else send();
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  set(path: string, c: Canned): void {
    this.routes.set(path, c);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()));
  }
}
