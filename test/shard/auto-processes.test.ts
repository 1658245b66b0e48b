import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { shardOf } from '../../src/shard/shard.js';
import { freePort } from '../e2e/processes.js';
import {
  processConfigFile,
  sandboxEnv,
  startExporterProcess,
  type ExporterProcess,
} from '../helpers/exporter-process.js';
import { waitFor } from '../helpers/wait.js';

/**
 * `WHATSAPP_EXPORTER_SHARD=auto/3` on three exporter processes named like a StatefulSet's pods
 * (POD_NAME from the downward API in deploy/kubernetes/base/statefulset.yaml): each takes shard
 * ordinal + 1, and together they poll every WABA exactly once.
 */
const POD = 'whatsapp-business-exporter';
let sb: Sandbox;
let procs: ExporterProcess[] = [];
let file: string;

type Targets = { shard: string; targets: Array<{ source: string; target: string }> };
const targets = async (p: ExporterProcess) => (await (await fetch(`${p.url}/-/targets`)).json()) as Targets;

beforeAll(async () => {
  sb = await startSandbox({ seed: 5, scenario: 'static', phoneNumbers: 36, wabas: 12, businesses: 3 });
  file = processConfigFile();
  procs = await Promise.all(
    [0, 1, 2].map(async (ordinal) =>
      startExporterProcess({
        port: await freePort(),
        args: [`--config.file=${file}`, `--storage.path=${mkdtempSync(join(tmpdir(), 'wbe-auto-'))}`],
        env: { ...sandboxEnv(sb), WHATSAPP_EXPORTER_SHARD: 'auto/3', POD_NAME: `${POD}-${ordinal}` },
      }),
    ),
  );
  for (const p of procs)
    await waitFor(
      async () => (await fetch(`${p.url}/-/ready`)).status === 200,
      30_000,
      () => `never ready:\n${p.output()}`,
    );
}, 120_000);
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  await sb?.close();
});

describe('auto sharding from the StatefulSet ordinal (three processes)', () => {
  it('pod -0, -1, -2 run shards 1/3, 2/3, 3/3 and say so in /-/targets and the start log', async () => {
    const all = await Promise.all(procs.map(targets));
    expect(all.map((t) => t.shard)).toEqual(['1/3', '2/3', '3/3']);
    for (const [i, p] of procs.entries()) expect(p.output()).toContain(`"shard":"${i + 1}/3"`);
  });

  it('each WABA is polled by exactly the shard of its id; every shard lists every portfolio', async () => {
    const all = await Promise.all(procs.map(targets));
    const of = (t: Targets, source: string) => t.targets.filter((x) => x.source === source).map((x) => x.target);
    const templates = all.map((t) => of(t, 'graph_templates'));
    // The population must really be split three ways, or this proves nothing.
    expect(templates.every((x) => x.length > 0)).toBe(true);
    expect(templates.flat().sort()).toEqual([...sb.state.wabaIds()].sort());
    templates.forEach((wabas, i) => {
      for (const w of wabas) expect(shardOf(w, 3)).toBe(i + 1);
    });
    for (const t of all) expect(new Set(of(t, 'graph_accounts'))).toEqual(new Set(sb.state.businessIds()));
    expect(all.map((t) => of(t, 'graph_token').length)).toEqual([1, 0, 0]);
  });

  it('a pod name without an ordinal is a start-up error naming the key; nothing listens', async () => {
    const port = await freePort();
    const err = await startExporterProcess({
      port,
      args: [`--config.file=${file}`, '--shard=auto/3'],
      env: { ...sandboxEnv(sb), POD_NAME: POD },
    }).then(
      () => undefined,
      (e: { code: number; out: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err?.out).toContain(
      `${file}: shard: "auto/3" takes the shard from the StatefulSet ordinal ending POD_NAME (pod <name>-0 is shard 1; the ordinal must be below 3), but POD_NAME is "${POD}"`,
    );
    expect(err?.out).not.toContain('fatal');
    await expect(fetch(`http://127.0.0.1:${port}/-/healthy`)).rejects.toThrow();
  });
});
