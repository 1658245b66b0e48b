import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * The floor: a process that answers every request with the same pre-compressed bytes the exporter
 * served, and does nothing else. Scraped with the same scrapers, it shows how much of the measured
 * latency is the machine moving 1.3 MB over loopback ten times at once, and how much is the exporter.
 */
export async function startStaticServer(file: string): Promise<{ url: string; proc: ChildProcess }> {
  const proc = fork(fileURLToPath(import.meta.url), [file], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [port] = (await once(proc, 'message')) as [number];
  return { url: `http://127.0.0.1:${port}/metrics`, proc };
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  const body = readFileSync(process.argv[2] as string);
  const server = createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      'content-encoding': 'gzip',
      'content-length': body.length,
    });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => process.send?.((server.address() as AddressInfo).port));
}
