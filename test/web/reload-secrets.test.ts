import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../helpers/harness.js';

const OLD = 'old-scrape-token-0123456789';
const NEW = 'new-scrape-token-9876543210';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const status = async (x: Harness, path: string, token: string, method: 'GET' | 'POST' = 'GET') => {
  const res = await request(`${x.exp.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  return { status: res.statusCode, text: await res.body.text() };
};

describe('reload compares secrets by value, never printing them (#19, D8)', () => {
  it('a changed web.bearer_token_file is a restart-only change: warned about, the running token stays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbe-reload-'));
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${OLD}\n`);
    h = await harness({ config: { web: { bearer_token_file: tokenFile } } });
    expect((await status(h, '/metrics', OLD)).status).toBe(200);
    writeFileSync(tokenFile, `${NEW}\n`);
    const r = await status(h, '/-/reload', OLD, 'POST');
    expect(r).toEqual({ status: 200, text: 'Reloaded\n' });
    expect(h.logs()).toMatch(/"key":"web".*only changes on restart/);
    expect((await status(h, '/metrics', OLD)).status).toBe(200);
    expect((await status(h, '/metrics', NEW)).status).toBe(401);
    // The comparison never shows up in the log: neither token, nor a digest of one.
    expect(h.logs()).not.toContain(OLD);
    expect(h.logs()).not.toContain(NEW);
  });

  it('an inline web.bearer_token changed in the file: the same', async () => {
    h = await harness({ config: { web: { bearer_token: OLD } } });
    writeFileSync(h.file, readFileSync(h.file, 'utf8').replace(OLD, NEW));
    expect((await status(h, '/-/reload', OLD, 'POST')).status).toBe(200);
    expect(h.logs()).toMatch(/"key":"web".*only changes on restart/);
    expect((await status(h, '/metrics', OLD)).status).toBe(200);
    expect((await status(h, '/metrics', NEW)).status).toBe(401);
  });

  it('a reload that changes nothing in web warns about nothing', async () => {
    h = await harness({ config: { web: { bearer_token: OLD } } });
    expect((await status(h, '/-/reload', OLD, 'POST')).status).toBe(200);
    expect(h.logs()).not.toContain('only changes on restart');
  });
});
