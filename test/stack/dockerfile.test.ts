// Dockerfile and .dockerignore: multi-stage on a pinned Node 24 (the LTS that CI runs the suite on,
// see test/install-deps.sh and docs/runtime.md), production dependencies only, no compiler,
// non-root, health-checked, nothing secret baked in or sent as build context.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCKERFILE, ROOT } from './tools.js';

interface Instruction {
  op: string;
  args: string;
}

/** Instructions with continuation lines joined and comments dropped. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let cur = '';
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line) && cur === '') continue;
    if (/^\s*#/.test(line)) continue; // comment inside a continued instruction
    cur += (cur ? ' ' : '') + line.trim();
    if (cur.endsWith('\\')) {
      cur = cur.slice(0, -1).trim();
      continue;
    }
    const m = /^(\w+)\s*(.*)$/.exec(cur);
    if (m?.[1]) out.push({ op: m[1].toUpperCase(), args: m[2] ?? '' });
    cur = '';
  }
  return out;
}

const text = readFileSync(DOCKERFILE, 'utf8');
const ins = instructions(text);
const stages = ins.filter((i) => i.op === 'FROM');
const runtimeStart = ins.lastIndexOf(stages[stages.length - 1] as Instruction);
const runtime = ins.slice(runtimeStart);
const args = Object.fromEntries(ins.filter((i) => i.op === 'ARG').map((i) => i.args.split('=') as [string, string]));
const resolve = (s: string) => s.replace(/\$\{(\w+)\}/g, (_m, k: string) => args[k] ?? '');

describe('Dockerfile', () => {
  it('is multi-stage on a pinned Node 24 image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const external = stages
      .map((s) => resolve(s.args.split(/\s+/)[0] ?? ''))
      .filter((img) => !/^(deps|build)$/.test(img));
    expect(external.length).toBeGreaterThan(0);
    for (const img of external) {
      expect(img).toMatch(/^node:24\.\d+(\.\d+)?-[a-z-]+(@sha256:[0-9a-f]{64})?$/);
      expect(img).not.toContain('latest');
    }
  });

  it('ships the Node major that CI tests on and that package.json engines accepts', () => {
    const major = /^node:(\d+)\./.exec(resolve(args.NODE_IMAGE ?? ''))?.[1];
    const ci = /^NODE_MAJOR=(\d+)$/m.exec(readFileSync(join(ROOT, 'test/install-deps.sh'), 'utf8'))?.[1];
    expect(major).toBeDefined();
    expect(ci).toBe(major);
    const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } })
      .engines.node;
    // One of the ranges starts at that major: ">=24", "^24" or "^24.x".
    expect(engines.split('||').map((r) => r.trim().replace(/\..*$/, ''))).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^(>=|\\^)${major}$`))]),
    );
  });

  it('is the only Node image of the stack: docker-compose.yml uses the same tag', () => {
    const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    const nodeImages = [...compose.matchAll(/^\s*image:\s*(node:\S+)\s*$/gm)].map((m) => m[1]);
    expect(nodeImages.length).toBeGreaterThan(0);
    for (const img of nodeImages) expect(img).toBe(resolve(args.NODE_IMAGE ?? ''));
  });

  it('needs no native addon: no compiler or node-gyp toolchain in any stage', () => {
    expect(
      ins.some((i) => i.op === 'RUN' && /\b(g\+\+|gcc|make|python3|build-essential|node-gyp)\b/.test(i.args)),
    ).toBe(false);
  });

  it('installs production dependencies only in the image it ships', () => {
    expect(ins.some((i) => i.op === 'RUN' && /npm ci --omit=dev/.test(i.args))).toBe(true);
    // The runtime stage copies node_modules from the production-only stage, never from build.
    const copies = runtime.filter((i) => i.op === 'COPY');
    const nm = copies.find((i) => i.args.includes('node_modules'));
    expect(nm?.args).toMatch(/--from=deps\b/);
    expect(runtime.some((i) => i.op === 'RUN' && /npm (ci|install)(?!.*--omit=dev)/.test(i.args))).toBe(false);
    // No compiler in the shipped image.
    expect(runtime.some((i) => i.op === 'RUN' && /\bg\+\+|build-essential/.test(i.args))).toBe(false);
  });

  it('runs as a non-root user', () => {
    const users = runtime.filter((i) => i.op === 'USER').map((i) => i.args.trim());
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).not.toMatch(/^(root|0)(:|$)/);
  });

  it('has a HEALTHCHECK on /-/healthy that needs no curl, and exposes 9914', () => {
    const hc = runtime.find((i) => i.op === 'HEALTHCHECK');
    expect(hc?.args).toContain('http://127.0.0.1:9914/-/healthy');
    expect(hc?.args).toMatch(/CMD \["node"/);
    expect(runtime.some((i) => i.op === 'EXPOSE' && /\b9914\b/.test(i.args))).toBe(true);
  });

  it('keeps state on VOLUME /data and passes --storage.path=/data; the config file is optional', () => {
    expect(runtime.some((i) => i.op === 'VOLUME' && i.args.includes('/data'))).toBe(true);
    const ep = runtime.find((i) => i.op === 'ENTRYPOINT')?.args ?? '';
    expect(ep).toContain('--storage.path=/data');
    expect(ep).toContain('/etc/whatsapp-business-exporter/config.yml');
    expect(ep).toMatch(/if \[ -f /);
  });

  it('bakes in no secrets (ENV / ARG names)', () => {
    const secretish = /(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE|CREDENTIAL|AUTH)/i;
    for (const i of ins.filter((x) => x.op === 'ENV' || x.op === 'ARG')) {
      const names = [...i.args.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)(?==|\s|$)/g)].map((m) => m[1] ?? '');
      for (const n of names) expect(n, `${i.op} ${i.args}`).not.toMatch(secretish);
    }
    expect(text).not.toMatch(/EAA[A-Za-z0-9]{10,}/);
  });

  it('copies only files that exist', () => {
    for (const i of ins.filter((x) => x.op === 'COPY' && !x.args.includes('--from='))) {
      const parts = i.args.split(/\s+/);
      for (const src of parts.slice(0, -1)) expect(existsSync(join(ROOT, src)), src).toBe(true);
    }
  });
});

describe('.dockerignore', () => {
  const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  it('keeps secrets, local state and host node_modules out of the build context', () => {
    for (const p of ['.env', '.git', 'node_modules', 'dist', 'data']) expect(ignored, p).toContain(p);
  });
  it('does not ignore what the Dockerfile copies', () => {
    for (const p of ['src', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'])
      expect(ignored, p).not.toContain(p);
  });
});
