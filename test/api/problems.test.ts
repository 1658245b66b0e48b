// GET /api/v1/problems: the overview page's problems, paged worst first, with counts by severity
// and kind for the scope, filters that are checked, and ids that stay the same while a problem lasts.
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { problemsPage } from '../../src/web/api/problems.js';
import type { Problem } from '../../src/web/overview/model.js';
import { harness, type Harness } from '../helpers/harness.js';

const problem = (
  severity: Problem['severity'],
  kind: Problem['kind'],
  id: string,
  business: string | null,
): Problem => ({
  severity,
  kind,
  text: `${kind} ${id}`,
  id: `${kind}/${id}`,
  business_id: business,
  impact: null,
  href: null,
});

describe('problemsPage', () => {
  const all = [
    problem('warning', 'phone', '3/quality', 'B1'),
    problem('critical', 'phone', '1/quality', 'B1'),
    problem('critical', 'balance', 'wallet', null),
    problem('warning', 'template', 'W1/promo/en', 'B2'),
    problem('critical', 'waba', 'W9', 'B2'),
  ];

  it('pages worst first, then by id, and counts the scope by severity and kind', () => {
    const first = problemsPage(all, {}, 2, undefined);
    expect(first.items.map((p) => p.id)).toEqual(['balance/wallet', 'phone/1/quality']);
    expect(first.total).toBe(5);
    expect(first.counts).toEqual({
      severity: { critical: 3, warning: 2 },
      kind: { phone: 2, balance: 1, template: 1, waba: 1 },
    });
    const rest = problemsPage(all, {}, 10, first.next_cursor ?? undefined);
    expect(rest.items.map((p) => p.id)).toEqual(['waba/W9', 'phone/3/quality', 'template/W1/promo/en']);
    expect(rest.next_cursor).toBeNull();
  });

  it('filters by severity, kind and business; counts follow the business scope only', () => {
    const b1 = problemsPage(all, { business_id: 'B1', severity: 'CRITICAL' }, 10, undefined);
    expect(b1.items.map((p) => p.id)).toEqual(['phone/1/quality']);
    expect(b1.counts.severity).toEqual({ critical: 1, warning: 1 });
    expect(problemsPage(all, { kind: 'template' }, 10, undefined).items).toHaveLength(1);
  });

  it('a walk sees every problem that lasts the walk once, even when others change severity across the cursor', () => {
    // Ids carry the severity (as the page makes them): a change of severity is a new problem.
    const withSeverity = (p: Problem): Problem => ({ ...p, id: `${p.id}/${p.severity}` });
    const before = all.map(withSeverity);
    const first = problemsPage(before, {}, 3, undefined); // balance, phone 1, WABA W9: the cursor is at W9
    // The warning number turns critical (now before the cursor: it would be skipped), and the
    // balance seen on page 1 turns warning (now after the cursor: it would be seen twice).
    const after = all
      .map((p) =>
        p.id === 'phone/3/quality'
          ? { ...p, severity: 'critical' as const }
          : p.id === 'balance/wallet'
            ? { ...p, severity: 'warning' as const }
            : p,
      )
      .map(withSeverity);
    const seen = [...first.items, ...problemsPage(after, {}, 10, first.next_cursor ?? undefined).items].map(
      (p) => p.id,
    );
    const lasting = before.map((p) => p.id).filter((id) => after.some((q) => q.id === id));
    for (const id of lasting)
      expect(
        seen.filter((x) => x === id),
        id,
      ).toHaveLength(1);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('refuses an unknown severity or kind', () => {
    expect(() => problemsPage(all, { severity: 'loud' }, 10, undefined)).toThrow('severity must be one of');
    expect(() => problemsPage(all, { kind: 'weather' }, 10, undefined)).toThrow('kind must be one of');
  });
});

describe('GET /api/v1/problems over HTTP', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('serves the page problems with ids and businesses, the same on two calls; 400 for bad input', async () => {
    h = await harness({ sandbox: { phoneNumbers: 3, wabas: 2, businesses: 1 } });
    const id = h.sb.state.phoneIds()[0] as string;
    h.sb.state.updatePhone(id, { quality_rating: 'RED' });
    await h.refresh();
    const get = async (q: string) => {
      const res = await request(`${h?.exp.url}/api/v1/problems${q}`);
      return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
    };
    const a = await get('');
    expect(a.status).toBe(200);
    const items = a.body.items as Problem[];
    const red = items.find((p) => p.id === `phone/${id}/quality/critical`);
    expect(red).toMatchObject({ severity: 'critical', kind: 'phone', business_id: h.sb.state.businessIds()[0] });
    expect(items[0]?.severity).toBe('critical');
    expect((a.body.counts as { severity: Record<string, number> }).severity.critical).toBeGreaterThan(0);
    const b = await get('');
    expect((b.body.items as Problem[]).map((p) => p.id)).toEqual(items.map((p) => p.id));
    const crit = await get('?severity=critical&kind=phone&limit=1');
    expect((crit.body.items as Problem[]).map((p) => p.id)).toEqual([`phone/${id}/quality/critical`]);
    for (const q of ['?severity=loud', '?kind=x', '?limit=501', '?cursor=zzz', '?q=a']) {
      const r = await get(q);
      expect(r.status, q).toBe(400);
      expect(typeof r.body.error, q).toBe('string');
    }
  });
});
