import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';

interface Conn {
  /** The request in progress on this connection, if any. */
  req?: IncomingMessage;
}

const LOG_EVERY_MS = 10_000;

/**
 * Caps the connections the server holds at `max`. Refusing new connections at the cap would let
 * a thousand slow clients lock Prometheus and Meta out; instead a new connection evicts the oldest
 * one that is not being answered: first one with no request in progress (idle keep-alive, or
 * headers still trickling in), then one whose request body is still arriving. A connection whose
 * request has fully arrived (a scrape, a webhook being stored) is never cut. Only when every held
 * connection is being answered is the new one closed. Slow clients are also cut by the server's
 * header and request timeouts (web.header_timeout, web.request_timeout); this bounds how many
 * there can be meanwhile.
 */
export function capConnections(server: Server, max: number, logger: Logger, now: () => number): void {
  const conns = new Map<Socket, Conn>();
  let evicted = 0;
  let lastLog = -Infinity;
  const note = () => {
    evicted++;
    const t = now();
    if (t - lastLog < LOG_EVERY_MS) return;
    lastLog = t;
    logger.warn(
      { max_connections: max, closed_since_last_log: evicted },
      'connection cap reached: closing the oldest connections that are not being answered (web.max_connections)',
    );
    evicted = 0;
  };
  server.on('connection', (socket: Socket) => {
    if (conns.size >= max) {
      const victim = pick(conns);
      if (victim) victim.destroy();
      else {
        socket.destroy();
        note();
        return;
      }
      note();
    }
    conns.set(socket, {});
    socket.once('close', () => conns.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res) => {
    const c = conns.get(req.socket);
    if (!c) return;
    c.req = req;
    res.once('close', () => {
      if (c.req === req) c.req = undefined;
    });
  });
}

/** The oldest connection with no request in progress, else the oldest whose body is still arriving. */
function pick(conns: ReadonlyMap<Socket, Conn>): Socket | undefined {
  let receiving: Socket | undefined;
  for (const [socket, c] of conns) {
    if (!c.req) return socket;
    if (!receiving && !c.req.complete) receiving = socket;
  }
  return receiving;
}
