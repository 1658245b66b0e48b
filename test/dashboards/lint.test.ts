// Dashboard lint (grafana/dashboard-linter's rules plus the project's), provisioning files, and
// the real Prometheus parser (promtool) over every expanded query.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { DASHBOARDS } from '../../dashboards/src/index.js';
import { requireBinary, runBinary } from '../alerts/tools.js';
import { unboundedReason } from './bounds.js';
import {
  DASHBOARD_DIR,
  allPanels,
  annotationQueries,
  dataPanels,
  expandVariables,
  loadDashboard,
  parseLabelValues,
  runbookAnchors,
  type Dashboard,
} from './dashboards.js';
import { LINT_BUILTINS, lintDashboard, lintQuery, placeholderValues } from './lint.js';

const EXPECTED_UIDS: Record<string, string> = {
  'whatsapp-overview.json': 'wa-overview',
  'whatsapp-phone-number.json': 'wa-phone-number',
  'whatsapp-billing.json': 'wa-billing',
  'whatsapp-delivery.json': 'wa-delivery',
  'whatsapp-exporter.json': 'wa-exporter',
};
const RUNBOOK_URL =
  'https://github.com/whatsapp-business-exporter/whatsapp-business-exporter/blob/main/alerts/runbook.md';

const dashboards: [string, Dashboard][] = DASHBOARDS.map((d) => [d.file, loadDashboard(d.file)]);
const exprs = (d: Dashboard) => [
  ...dataPanels(d).flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
  ...annotationQueries(d).map((a) => a.expr),
];

describe('lint rules catch what they should', () => {
  it.each([
    ['sum(whatsapp_credit_balance)', /without currency/],
    ['sum by (account) (whatsapp_credit_balance)', /without currency/],
    ['sum without (currency) (whatsapp_pricing_cost_24h)', /without currency/],
    ['avg by (account) (account_currency:whatsapp_credit_spend:rate6h)', /without currency/],
    ['whatsapp_message_statuses_total', /counter .* outside rate/],
    ['max_over_time(whatsapp_message_statuses_total[5m])', /counter .* outside rate/],
    ['rate(whatsapp_message_statuses_total[5m])', /instead of \[\$__rate_interval\]/],
    ['rate(whatsapp_credit_balance[4m7s])', /not a counter/],
    ['whatsapp_no_such_metric', /not in the metric contract/],
    ['sum by (status) (rate(whatsapp_message_statuses_total[4m7s])', /syntax error/],
  ])('%s', (expr, problem) => {
    expect(lintQuery(expr).join('\n')).toMatch(problem);
  });

  it.each([
    'sum by (account, currency) (increase(whatsapp_credit_topups_total[4m7s]))',
    'sum without (account) (whatsapp_pricing_cost_24h)',
    'count(whatsapp_credit_balance)',
    'clamp_max(account_currency:whatsapp_credit_runway:days, 365)',
    'ALERTS{alertname=~"WhatsApp.*"}',
  ])('accepts %s', (expr) => {
    expect(lintQuery(expr)).toEqual([]);
  });

  // The fleet bound: a query whose result can have a series per number, WABA, portfolio,
  // template or source target must be cut by topk/bottomk or aggregated by a bounded label.
  it.each([
    ['whatsapp_phone_number_info{phone_number_id=~"all_of_them"}', /one series per number/],
    ['max by (business_id) (whatsapp_messaging_limit)', /keeps one series per business_id/],
    ['business_id:whatsapp_messaging_limit_utilization:ratio', /one series per number, WABA, portfolio/],
    ['ALERTS{alertname=~"WhatsApp.*"}', /ALERTS has one series per/],
    ['min by (source, target) (whatsapp_exporter_source_up)', /keeps one series per target/],
    ['topk(500, whatsapp_phone_number_info)', /k = 500/],
    ['topk by (waba_id) (3, whatsapp_phone_number_info)', /keeps k series per group/],
    ['sum without (code) (whatsapp_message_errors_total)', /keeps the identity labels/],
    ['whatsapp_phone_number_info * 3', /one series per number/],
  ])('unbounded: %s', (expr, problem) => {
    expect(unboundedReason(expr)).toMatch(problem);
  });

  it.each([
    'count by (rating) (whatsapp_phone_number_quality_rating == 1)',
    'sort_desc(topk(10, business_id:whatsapp_messaging_limit_utilization:ratio))',
    'count(x == 1) or 0 * count(whatsapp_phone_number_info)',
    'whatsapp_phone_number_info{phone_number_id=~"__single_value__"}',
    'max by (source, target) (x) and on (source) bottomk(5, whatsapp_exporter_source_up)',
    'topk(10, whatsapp_message_errors_total{code="1"} * on (phone_number_id) group_left (x) whatsapp_phone_number_info)',
    'bottomk by (currency) (10, max by (account, currency) (whatsapp_credit_balance))',
    'up{job="whatsapp-business-exporter"}',
  ])('bounded: %s', (expr) => {
    expect(unboundedReason(expr)).toBeUndefined();
  });

  it('expands every Grafana variable form and refuses unknown ones', () => {
    const v = { business_id: '1', waba_id: '2' };
    expect(
      expandVariables(
        'x{a=~"$business_id", b=~"${waba_id}", c=~"${waba_id:regex}", d="[[business_id]]"}[$__rate_interval] $__interval $__range',
        v,
        LINT_BUILTINS,
      ),
    ).toBe('x{a=~"1", b=~"2", c=~"2", d="1"}[4m7s] 1m 1h');
    expect(() => expandVariables('x{a="$nope"}', v, LINT_BUILTINS)).toThrow(/unknown Grafana variable \$nope/);
  });
});

describe.each(dashboards)('%s', (file, d) => {
  it('passes the dashboard lint', () => {
    expect(lintDashboard(d)).toEqual([]);
  });

  it('has its fixed uid, a title and the whatsapp tag', () => {
    expect(d.uid).toBe(EXPECTED_UIDS[file]);
    expect(d.title).toMatch(/^WhatsApp Business \/ /);
    expect(d.tags).toContain('whatsapp');
  });

  it('links to the alert runbook, and every runbook anchor it uses exists', () => {
    expect((d.links ?? []).map((l) => l.url)).toContain(RUNBOOK_URL);
    const anchors = runbookAnchors();
    const urls = [...JSON.stringify(d).matchAll(/runbook\.md#([a-z0-9-]+)/g)].map((m) => m[1] as string);
    for (const a of urls) expect(anchors, `runbook anchor #${a}`).toContain(a);
  });

  it('"All" sends `.*`, never the list of every value (10,000 phone ids in every query otherwise)', () => {
    const multi = d.templating.list.filter((v) => v.multi);
    for (const v of multi) expect(v.allValue, `${file} $${v.name}`).toBe('.*');
  });

  it('cascades the identity variables business_id → waba_id → phone_number_id', () => {
    const byName = new Map(d.templating.list.map((v) => [v.name, v]));
    const sel = (n: string) => parseLabelValues(String(byName.get(n)?.query ?? ''))?.selector ?? '';
    if (byName.has('waba_id')) expect(sel('waba_id')).toContain('$business_id');
    if (byName.has('phone_number_id')) {
      expect(sel('phone_number_id')).toContain('$business_id');
      expect(sel('phone_number_id')).toContain('$waba_id');
    }
    // A variable used in a query must be defined on the dashboard (expandVariables throws otherwise).
    for (const e of exprs(d)) expandVariables(e, placeholderValues(d), LINT_BUILTINS);
  });

  it('has data panels and a unit on each; only text panels go without (they render markdown, no numbers)', () => {
    expect(dataPanels(d).length).toBeGreaterThan(0);
    for (const p of allPanels(d).filter((x) => x.type !== 'row')) {
      if (p.type === 'text') expect(p.targets ?? []).toEqual([]);
      else expect(p.fieldConfig?.defaults?.unit, `unit of "${p.title}"`).toBeTruthy();
    }
  });
});

describe('dashboard set', () => {
  it('uids and panel titles are unique', () => {
    const uids = dashboards.map(([, d]) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const [file, d] of dashboards) {
      const titles = dataPanels(d).map((p) => p.title);
      expect(new Set(titles).size, `duplicate panel titles in ${file}`).toBe(titles.length);
    }
  });

  it('the dashboards read the recording rules instead of repeating their windows', () => {
    const all = dashboards.flatMap(([, d]) => exprs(d)).join('\n');
    for (const r of [
      'business_id:whatsapp_messaging_limit_utilization:ratio',
      'account_currency:whatsapp_credit_spend:rate6h',
      'account_currency:whatsapp_credit_runway:days',
      'business_id:whatsapp_message_failure:ratio30m',
    ]) {
      expect(all).toContain(r);
    }
  });

  it('the overview counts active alerts from ALERTS per alert and state; the phone-number dashboard lists its own', () => {
    const overview = loadDashboard('whatsapp-overview.json');
    const p = dataPanels(overview).find((x) => x.title === 'Active alerts');
    expect(p?.type).toBe('table');
    expect(p?.targets?.[0]?.expr).toMatch(/^count by \(alertname, severity, alertstate\) \(ALERTS\{/);
    const phone = loadDashboard('whatsapp-phone-number.json');
    const mine = dataPanels(phone).find((x) => x.title === 'Alerts for this number');
    expect(mine?.targets?.[0]?.expr).toContain('ALERTS{alertname=~"WhatsApp.*", phone_number_id=~"$phone_number_id"}');
  });

  it('the overview opens with a fleet row of counts, then top-N tables bounded by their query', () => {
    const overview = loadDashboard('whatsapp-overview.json');
    const rows = overview.panels.filter((p) => p.type === 'row').map((p) => p.title);
    expect(rows.slice(0, 2)).toEqual(['Fleet', 'Worst first']);
    const inRow = (title: string) => {
      const start = overview.panels.findIndex((p) => p.type === 'row' && p.title === title);
      const end = overview.panels.findIndex((p, i) => i > start && p.type === 'row');
      return overview.panels.slice(start + 1, end);
    };
    for (const p of inRow('Fleet')) {
      expect(p.type, p.title).toBe('stat');
      for (const t of p.targets ?? []) expect(t.expr, p.title).toMatch(/^(count|sum|min)\b/);
    }
    const worst = inRow('Worst first');
    expect(worst.map((p) => p.title)).toEqual([
      'Lowest runway',
      'Messaging-limit utilization, highest',
      'Failure ratio, highest',
      'Numbers not GREEN',
      'Numbers that cannot send',
      'Numbers failing most',
    ]);
    for (const p of worst)
      for (const t of p.targets ?? []) expect(t.expr, p.title).toMatch(/^sort(_desc)?\((top|bottom)k\(/);
  });

  it('the overview and phone-number dashboards mark quality, status and tier changes, paused templates and top-ups', () => {
    for (const file of ['whatsapp-overview.json', 'whatsapp-phone-number.json']) {
      const names = annotationQueries(loadDashboard(file)).map((a) => a.name);
      expect(names, file).toEqual([
        'Quality rating changes',
        'Status changes',
        'Messaging limit tier changes',
        'Templates paused or disabled',
        'Top-ups',
      ]);
    }
  });

  it('the billing dashboard shows the top-up, payment and rate-card links as data links', () => {
    const billing = loadDashboard('whatsapp-billing.json');
    const p = dataPanels(billing).find((x) => x.title === 'Billing account links');
    const expr = p?.targets?.[0]?.expr ?? '';
    for (const l of ['top_up_url', 'payment_link_url', 'rate_card_url']) expect(expr).toContain(l);
    const linked = (p?.fieldConfig?.overrides ?? []).filter((o) =>
      o.properties.some((x) => x.id === 'links' && JSON.stringify(x.value).includes('${__value.raw}')),
    );
    expect(linked.map((o) => o.matcher.options)).toEqual(['Add messaging credits', 'Pay via link', 'View rate card']);
  });

  it('every expanded query passes the real Prometheus parser (promtool check rules)', async () => {
    const promtool = requireBinary('promtool');
    const rules = dashboards.flatMap(([, d]) =>
      exprs(d).map((e) => expandVariables(e, placeholderValues(d), LINT_BUILTINS)),
    );
    const dir = mkdtempSync(join(tmpdir(), 'wbe-dash-'));
    const file = join(dir, 'queries.yml');
    writeFileSync(
      file,
      stringify({
        groups: [
          {
            name: 'dashboard-queries',
            rules: rules.map((expr, i) => ({ record: `dashboard:query_${i}:check`, expr })),
          },
        ],
      }),
    );
    const r = await runBinary(promtool, ['check', 'rules', file]);
    rmSync(dir, { recursive: true, force: true });
    expect(r.stdout + r.stderr).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(r.code).toBe(0);
  });
});

describe('provisioning', () => {
  it('provisions the Prometheus datasource with the fixed uid `prometheus` at http://prometheus:9090', () => {
    const doc = parseYaml(readFileSync(join(DASHBOARD_DIR, 'provisioning/datasources/prometheus.yml'), 'utf8')) as {
      apiVersion: number;
      datasources: Record<string, unknown>[];
    };
    expect(doc.apiVersion).toBe(1);
    expect(doc.datasources).toHaveLength(1);
    expect(doc.datasources[0]).toMatchObject({
      uid: 'prometheus',
      type: 'prometheus',
      url: 'http://prometheus:9090',
      access: 'proxy',
    });
  });

  it('provisions the dashboards from files into the WhatsApp folder', () => {
    const doc = parseYaml(readFileSync(join(DASHBOARD_DIR, 'provisioning/dashboards/whatsapp.yml'), 'utf8')) as {
      apiVersion: number;
      providers: Record<string, unknown>[];
    };
    expect(doc.apiVersion).toBe(1);
    expect(doc.providers[0]).toMatchObject({
      type: 'file',
      folder: 'WhatsApp',
      options: { path: '/var/lib/grafana/dashboards/whatsapp' },
    });
  });
});
