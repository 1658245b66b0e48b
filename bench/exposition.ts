/**
 * Reading a running exporter's exposition the way the bench needs it: gzip scrapes (what
 * Prometheus asks for), waiting until every number is exported, then until it is steady.
 */
import { request } from 'undici';
import { gunzipSync } from 'node:zlib';
import { sleep } from '../test/helpers/wait.js';

export async function scrapeGzip(url: string): Promise<{ text: string; gzipBytes: number }> {
  const r = await request(`${url}/metrics`, { headers: { 'accept-encoding': 'gzip' } });
  const gz = Buffer.from(await r.body.arrayBuffer());
  return { text: gunzipSync(gz).toString(), gzipBytes: gz.length };
}

/** Polls until `done(text)`; throws with `why(text)` after `tries` polls `everyMs` apart. */
export async function scrapeUntil(
  url: string,
  done: (text: string) => boolean,
  why: (text: string) => string,
  tries = 3_000,
  everyMs = 100,
): Promise<string> {
  for (let i = 0; ; i++) {
    const { text } = await scrapeGzip(url);
    if (done(text)) return text;
    if (i >= tries) throw new Error(why(text));
    await sleep(everyMs);
  }
}

export const numberRows = (text: string): number =>
  text.split('\n').filter((l) => l.startsWith('whatsapp_phone_number_info{')).length;

/**
 * Until two scrapes a second apart agree (process and Node.js metrics aside): every loop has
 * reported and the background renders have caught up. Returns the last scrape.
 */
export async function scrapeSteady(url: string, maxSeconds = 120): Promise<{ text: string; gzipBytes: number }> {
  const stable = (text: string) => text.replace(/^(process|nodejs)_.*$/gm, '');
  let last = await scrapeGzip(url);
  for (let i = 0; i < maxSeconds; i++) {
    await sleep(1_000);
    const cur = await scrapeGzip(url);
    const same = stable(cur.text) === stable(last.text);
    last = cur;
    if (same) break;
  }
  return last;
}
