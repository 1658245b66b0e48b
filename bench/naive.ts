/**
 * The naive baseline the bench compares against, measured in the same run: what a hand-rolled
 * exporter (or a json_exporter config) does — one Graph request per WABA listing and per phone
 * number, no batching, no field expansion — and a prom-client registry rendered on every scrape.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gauge, Registry } from 'prom-client';
import { Pool } from 'undici';
import { HEALTH, NAME_STATUS, PHONE_STATUS, QUALITY, THROUGHPUT } from '../src/sources/graph/enums.js';

export interface NaiveExporter {
  url: string;
  httpRequests: number;
  close(): Promise<void>;
}

const PHONE_FIELDS =
  'id,display_phone_number,verified_name,status,quality_rating,name_status,platform_type,throughput,health_status';
// The exporter's own enum tables: the baseline exports the same full state sets.
const STATUS = PHONE_STATUS;
const NAME = NAME_STATUS;
const LEVEL = THROUGHPUT;

export async function startNaive(
  graphUrl: string,
  token: string,
  businesses: string[],
  concurrency = 8,
): Promise<NaiveExporter> {
  const pool = new Pool(graphUrl, { connections: concurrency });
  let httpRequests = 0;
  const get = async (path: string): Promise<Record<string, unknown>> => {
    httpRequests++;
    const r = await pool.request({
      path: `/v24.0/${path}`,
      method: 'GET',
      headers: { authorization: `Bearer ${token}` },
    });
    return (await r.body.json()) as Record<string, unknown>;
  };
  const listAll = async (path: string): Promise<Array<Record<string, unknown>>> => {
    const out: Array<Record<string, unknown>> = [];
    let after = '';
    for (;;) {
      const page = await get(`${path}${path.includes('?') ? '&' : '?'}limit=25${after ? `&after=${after}` : ''}`);
      out.push(...((page.data as Array<Record<string, unknown>>) ?? []));
      const next = page.paging as { next?: string; cursors?: { after?: string } } | undefined;
      if (!next?.next || !next.cursors?.after) return out;
      after = next.cursors.after;
    }
  };
  const inParallel = async <T>(items: T[], fn: (t: T) => Promise<void>) => {
    let i = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (i < items.length) await fn(items[i++] as T);
      }),
    );
  };

  const registry = new Registry();
  const id = ['business_id', 'waba_id', 'phone_number_id'];
  const g = (name: string, extra: string[] = []) =>
    new Gauge({ name, help: name, labelNames: [...id, ...extra], registers: [registry] });
  const info = g('whatsapp_phone_number_info', ['display_phone_number', 'verified_name', 'platform_type']);
  const sets: Array<[Gauge, string, readonly string[], (p: Record<string, unknown>) => unknown]> = [
    [g('whatsapp_phone_number_status', ['status']), 'status', STATUS, (p) => p.status],
    [g('whatsapp_phone_number_name_status', ['status']), 'status', NAME, (p) => p.name_status],
    [
      g('whatsapp_phone_number_quality_rating', ['rating']),
      'rating',
      QUALITY,
      (p) => (p.quality_rating === 'NA' ? 'UNKNOWN' : p.quality_rating),
    ],
    [
      g('whatsapp_phone_number_health', ['state']),
      'state',
      HEALTH,
      (p) => (p.health_status as { can_send_message?: string } | undefined)?.can_send_message,
    ],
    [
      g('whatsapp_phone_number_throughput_level', ['level']),
      'level',
      LEVEL,
      (p) => (p.throughput as { level?: string } | undefined)?.level,
    ],
  ];

  // One refresh, the naive way: listings, then every WABA's numbers, then every number on its own.
  const wabas: Array<{ waba: string; business: string }> = [];
  await inParallel(businesses, async (b) => {
    for (const w of await listAll(`${b}/owned_whatsapp_business_accounts`))
      wabas.push({ waba: String(w.id), business: b });
  });
  const phones: Array<{ phone: string; waba: string; business: string }> = [];
  await inParallel(wabas, async (w) => {
    for (const p of await listAll(`${w.waba}/phone_numbers?fields=id`)) phones.push({ phone: String(p.id), ...w });
  });
  await inParallel(phones, async (p) => {
    const n = await get(`${p.phone}?fields=${PHONE_FIELDS}`);
    const labels = { business_id: p.business, waba_id: p.waba, phone_number_id: p.phone };
    info.set(
      {
        ...labels,
        display_phone_number: String(n.display_phone_number ?? ''),
        verified_name: String(n.verified_name ?? ''),
        platform_type: String(n.platform_type ?? ''),
      },
      1,
    );
    for (const [gauge, key, known, pick] of sets)
      for (const s of known) gauge.set({ ...labels, [key]: s }, pick(n) === s ? 1 : 0);
  });
  await pool.close();

  const server: Server = createServer((_req, res) => {
    // The naive part: the whole registry is formatted on every scrape.
    void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    httpRequests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
