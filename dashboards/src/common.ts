/**
 * What every WhatsApp dashboard shares: the datasource reference, the runbook, the identity
 * variables (business → WABA → phone number, plus billing account), label filters, and the
 * assembly step that numbers panels and refIds explicitly (the SDK leaves both out otherwise).
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  DashboardBuilder,
  DashboardLinkType,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  VariableHide,
  VariableRefresh,
  VariableSort,
  type AnnotationQuery,
  type DashboardLink,
  type Panel,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { runbookUrl } from './policy.js';

/** Every panel and every query points at the `datasource` variable, never at a fixed uid. */
export const DS = { type: 'prometheus', uid: '${datasource}' } as const;

export const TAGS = ['whatsapp'];

/** The runbook, or an alert's section of it: the same URLs as the rules' runbook_url annotations. */
export const runbook = runbookUrl;

/** What a multi-value variable sends when "All" is selected. */
export const ALL_VALUE = '.*';

/** Label filters built from the cascading variables; `=~` because the variables are multi-value. */
export const F = {
  business: 'business_id=~"$business_id"',
  waba: 'business_id=~"$business_id", waba_id=~"$waba_id"',
  phone: 'business_id=~"$business_id", waba_id=~"$waba_id", phone_number_id=~"$phone_number_id"',
  // Message, money and template counts are summed per portfolio by default (metrics.aggregate_by):
  // their waba_id / phone_number_id labels are absent then, and these filters keep the sums.
  wabaSum: 'business_id=~"$business_id", waba_id=~"$waba_id|"',
  phoneSum: 'business_id=~"$business_id", waba_id=~"$waba_id|", phone_number_id=~"$phone_number_id|"',
  account: 'account=~"$account"',
  job: 'job=~"$job"',
  source: 'job=~"$job", source=~"$source"',
} as const;

export interface VariableSpec {
  name: string;
  label: string;
  description: string;
  /** Grafana's `label_values(selector, label)`; later variables may use earlier ones. */
  query: string;
  /** Multi-select with an "All" option (the default selection); false = exactly one value. */
  multi: boolean;
}

export const VARS = {
  business_id: {
    name: 'business_id',
    label: 'Business portfolio',
    description: 'Meta business portfolio id (the messaging limit belongs to it).',
    query: 'label_values(whatsapp_business_account_info, business_id)',
    multi: true,
  },
  waba_id: {
    name: 'waba_id',
    label: 'WABA',
    description: 'WhatsApp Business Account id, narrowed by the selected business portfolios.',
    query: 'label_values(whatsapp_business_account_info{business_id=~"$business_id"}, waba_id)',
    multi: true,
  },
  phone_number_id: {
    name: 'phone_number_id',
    label: 'Phone number',
    description: 'Phone number id, narrowed by the selected WABAs.',
    query:
      'label_values(whatsapp_phone_number_info{business_id=~"$business_id", waba_id=~"$waba_id"}, phone_number_id)',
    multi: true,
  },
  account: {
    name: 'account',
    label: 'Billing account',
    description: 'Billing account name from the exporter configuration.',
    query: 'label_values(whatsapp_billing_account_info, account)',
    multi: true,
  },
  job: {
    name: 'job',
    label: 'Job',
    description: 'Prometheus job scraping the exporter.',
    query: 'label_values(whatsapp_exporter_build_info, job)',
    multi: true,
  },
  source: {
    name: 'source',
    label: 'Source',
    description:
      'Exporter data source (graph_accounts, graph_limits, graph_templates, graph_pricing, graph_token, billing).',
    query: 'label_values(whatsapp_exporter_source_targets{job=~"$job"}, source)',
    multi: true,
  },
} satisfies Record<string, VariableSpec>;

/** The phone-number dashboard shows exactly one number. */
export const SINGLE_PHONE: VariableSpec = { ...VARS.phone_number_id, multi: false };

/** A panel builder that can be numbered after the fact. */
export type PanelLike = cog.Builder<Panel> & { id(id: number): unknown };

export interface RowSpec {
  title: string;
  panels: PanelLike[];
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  variables: VariableSpec[];
  rows: RowSpec[];
  /** Extra links next to the runbook and the other WhatsApp dashboards. */
  links?: { title: string; url: string }[];
  /** Events marked on every time panel (Prometheus annotation queries). */
  annotations?: AnnotationSpec[];
}

/**
 * A Prometheus annotation: every step where `expr` has a result marks the graphs, one mark per
 * result series. The query must be bounded like a panel's (an aggregation by a state, or topk):
 * a fleet-wide event would otherwise draw one mark per number.
 */
export interface AnnotationSpec {
  name: string;
  expr: string;
  /** `{{label}}` templates of the mark's title and text. */
  title: string;
  text: string;
  /** Labels that become the mark's tags (comma-separated). */
  tags: string;
  color: string;
}

/**
 * Annotation queries run at this step. Their look-back windows (`offset`, `[…]`) are derived from
 * it, so each event is marked once (or on two adjacent steps, which Grafana joins).
 */
export const ANNOTATION_STEP = '1m';

/** Builds the dashboard JSON model: rows and panels numbered 1, 2, 3… in reading order. */
export function buildDashboard(spec: DashboardSpec): unknown {
  const b = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags(TAGS)
    .editable()
    .timezone('browser')
    .time({ from: 'now-6h', to: 'now' })
    .refresh('1m')
    .withVariable(
      new DatasourceVariableBuilder('datasource')
        .label('Data source')
        .description('Prometheus that scrapes the exporter and evaluates alerts/whatsapp.rules.yml.')
        .type('prometheus'),
    );
  for (const v of spec.variables) b.withVariable(queryVariable(v));
  for (const a of spec.annotations ?? []) b.annotation(annotation(a));
  b.links([
    plainLink('Alert runbook', runbook(), 'doc'),
    ...(spec.links ?? []).map((l) => plainLink(l.title, l.url, 'external link')),
    dashboardsLink(),
  ]);
  let id = 0;
  for (const row of spec.rows) {
    b.withRow(new RowBuilder(row.title).id(++id));
    for (const p of row.panels) {
      p.id(++id);
      b.withPanel(p);
    }
  }
  // Provisioned from files: edits in the UI would be lost on the next provisioning run.
  const json = b.build() as unknown as Record<string, unknown>;
  json.editable = false;
  return json;
}

function queryVariable(v: VariableSpec): QueryVariableBuilder {
  const q = new QueryVariableBuilder(v.name)
    .label(v.label)
    .description(v.description)
    .datasource(DS)
    .query(v.query)
    .definition(v.query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .hide(VariableHide.DontHide);
  // "All" is sent as `.*`, not as an alternation of every value: at 10,000 numbers Grafana would
  // otherwise put every phone id into every query (hundreds of KB per request). `.*` also matches a
  // series without the label, as the `|` in F.wabaSum / F.phoneSum already intends.
  if (v.multi)
    q.multi(true)
      .includeAll(true)
      .allValue(ALL_VALUE)
      .current({ selected: true, text: ['All'], value: ['$__all'] });
  else q.multi(false).includeAll(false);
  return q;
}

/**
 * Written in Grafana's long-standing Prometheus annotation fields (`expr`, `step`, `titleFormat`,
 * `textFormat`, `tagKeys`) and in `target`, which newer Grafana versions read (they migrate the
 * former into the latter on load); both say the same.
 */
function annotation(a: AnnotationSpec): cog.Builder<AnnotationQuery> {
  return {
    build: () =>
      ({
        name: a.name,
        datasource: DS,
        enable: true,
        hide: false,
        iconColor: a.color,
        expr: a.expr,
        step: ANNOTATION_STEP,
        titleFormat: a.title,
        textFormat: a.text,
        tagKeys: a.tags,
        useValueForTime: false,
        target: { refId: 'Anno', expr: a.expr, interval: ANNOTATION_STEP, legendFormat: a.title },
      }) as unknown as AnnotationQuery,
  };
}

function plainLink(title: string, url: string, icon: string): cog.Builder<DashboardLink> {
  return {
    build: () => ({
      title,
      type: DashboardLinkType.Link,
      icon,
      tooltip: '',
      url,
      tags: [],
      asDropdown: false,
      targetBlank: true,
      includeVars: false,
      keepTime: false,
    }),
  };
}

function dashboardsLink(): cog.Builder<DashboardLink> {
  return {
    build: () => ({
      title: 'WhatsApp dashboards',
      type: DashboardLinkType.Dashboards,
      icon: 'external link',
      tooltip: '',
      tags: TAGS,
      asDropdown: true,
      targetBlank: false,
      includeVars: true,
      keepTime: true,
    }),
  };
}
