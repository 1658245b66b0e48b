/**
 * The panel library: every panel of every WhatsApp dashboard comes from one of these builders,
 * so units, legends, thresholds, links and datasource references stay consistent. Each builder
 * takes a title, a description and a unit (all required: the dashboard lint checks them), plus
 * its queries; ids and refIds are set here or in common.ts, never left to the SDK.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import type {
  DashboardLink,
  DataTransformerConfig,
  DynamicConfigValue,
  MatcherConfig,
  ThresholdsConfig,
  ValueMapping,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { MappingType, ThresholdsMode } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as BarGaugePanel } from '@grafana/grafana-foundation-sdk/bargauge';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as StateTimelinePanel } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TextPanel, TextMode } from '@grafana/grafana-foundation-sdk/text';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { DS, type PanelLike } from './common.js';

export interface Query {
  expr: string;
  /** Legend template; default `__auto` (Grafana derives it from the labels). */
  legend?: string;
}

export interface Override {
  matcher: MatcherConfig;
  properties: DynamicConfigValue[];
}

export interface Link {
  title: string;
  url: string;
}

export interface Common {
  title: string;
  description: string;
  unit: string;
  queries: Query[];
  /** Width in grid columns (24 = full width) and height in grid rows. */
  w: number;
  h: number;
  /** Panel links (top left corner menu), typically the runbook section of the matching alert. */
  links?: Link[];
  /** Data links on every value (`${__field.labels.x}` and `${__value.raw}` work). */
  dataLinks?: Link[];
  /** [color, from] pairs; the first step starts at -Infinity. */
  thresholds?: [string, number | null][];
  mappings?: ValueMapping[];
  min?: number;
  max?: number;
  decimals?: number;
  noValue?: string;
  overrides?: Override[];
}

// ---------------------------------------------------------------------------------------------
// Panels

export interface TimeseriesOptions extends Common {
  stack?: boolean;
  bars?: boolean;
  /** Draw the thresholds as dashed lines (alert levels). */
  thresholdLines?: boolean;
}

/** The legend of every time series and bar panel: a list below the graph. */
const LIST_LEGEND = lit<common.VizLegendOptions>({
  displayMode: common.LegendDisplayMode.List,
  placement: common.LegendPlacement.Bottom,
  showLegend: true,
  calcs: [],
});

export function timeseries(o: TimeseriesOptions): PanelLike {
  const p = new TimeseriesPanel()
    .legend(LIST_LEGEND)
    .tooltip(
      lit<common.VizTooltipOptions>({ mode: common.TooltipDisplayMode.Multi, sort: common.SortOrder.Descending }),
    )
    .lineWidth(1)
    .fillOpacity(o.stack || o.bars ? 60 : 10)
    .showPoints(common.VisibilityMode.Never)
    .spanNulls(false);
  if (o.bars) p.drawStyle(common.GraphDrawStyle.Bars);
  if (o.stack) p.stacking(lit<common.StackingConfig>({ mode: common.StackingMode.Normal, group: 'A' }));
  if (o.thresholdLines)
    p.thresholdsStyle(lit<common.GraphThresholdsStyleConfig>({ mode: common.GraphThresholdsStyleMode.Dashed }));
  return finish(p, o, false);
}

export interface StatOptions extends Common {
  /** `name` shows the legend (e.g. a state-set's current state) instead of the number. */
  text?: 'value' | 'name' | 'value_and_name';
  color?: 'value' | 'background' | 'none';
  sparkline?: boolean;
}

export function stat(o: StatOptions): PanelLike {
  const p = new StatPanel()
    .reduceOptions(lit<common.ReduceDataOptions>({ values: false, calcs: ['lastNotNull'], fields: '' }))
    .textMode((o.text ?? 'value') as common.BigValueTextMode)
    .colorMode((o.color ?? 'value') as common.BigValueColorMode)
    .graphMode(o.sparkline ? common.BigValueGraphMode.Area : common.BigValueGraphMode.None)
    .justifyMode(common.BigValueJustifyMode.Auto)
    .orientation(common.VizOrientation.Auto)
    .wideLayout(true);
  return finish(p, o, true);
}

export function barGauge(o: Common): PanelLike {
  const p = new BarGaugePanel()
    .reduceOptions(lit<common.ReduceDataOptions>({ values: false, calcs: ['lastNotNull'], fields: '' }))
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .valueMode(common.BarGaugeValueMode.Color)
    .showUnfilled(true);
  return finish(p, o, true);
}

export interface StateTimelineOptions extends Common {
  /** Hide the text in the bars (state sets drawn as 0/1 lanes read better without it). */
  hideValues?: boolean;
}

export function stateTimeline(o: StateTimelineOptions): PanelLike {
  const p = new StateTimelinePanel()
    .showValue(o.hideValues ? common.VisibilityMode.Never : common.VisibilityMode.Auto)
    .mergeValues(true)
    .rowHeight(0.9)
    .fillOpacity(80)
    .legend(LIST_LEGEND);
  return finish(p, o, false);
}

export interface TableOptions extends Common {
  /** Columns to drop (always drops `Time`). */
  hide?: string[];
  /** Column renames, e.g. `{ Value: 'Balance' }`. */
  rename?: Record<string, string>;
  /** Column order (others follow). */
  order?: string[];
  /** Merge the queries' rows on their common labels (several state sets side by side). */
  merge?: boolean;
  sortBy?: { displayName: string; desc?: boolean };
}

export function table(o: TableOptions): PanelLike {
  const p = new TablePanel()
    .cellHeight(common.TableCellHeight.Sm)
    .showHeader(true)
    .filterable(true)
    .footer(lit<common.TableFooterOptions>({ show: false, reducer: ['sum'], countRows: false }));
  if (o.sortBy)
    p.sortBy([lit<common.TableSortByFieldState>({ displayName: o.sortBy.displayName, desc: o.sortBy.desc ?? false })]);
  const transforms: DataTransformerConfig[] = [];
  if (o.merge) transforms.push({ id: 'merge', options: {} });
  const exclude: Record<string, boolean> = { Time: true };
  for (const c of o.hide ?? []) exclude[c] = true;
  const indexByName: Record<string, number> = {};
  for (const [i, c] of (o.order ?? []).entries()) indexByName[c] = i;
  transforms.push({ id: 'organize', options: { excludeByName: exclude, indexByName, renameByName: o.rename ?? {} } });
  p.transformations(transforms);
  return finish(p, o, true, 'table');
}

/** Markdown text. Text panels carry no data, so they have no unit and no query. */
export function text(o: { title: string; description: string; content: string; w: number; h: number }): PanelLike {
  return new TextPanel()
    .title(o.title)
    .description(o.description)
    .mode(TextMode.Markdown)
    .content(o.content)
    .gridPos({ x: 0, y: 0, w: o.w, h: o.h })
    .transparent(false);
}

// ---------------------------------------------------------------------------------------------
// Reusable field configuration

/** Thresholds as [color, from] pairs, first from -Infinity. */
export function steps(...s: [string, number | null][]): [string, number | null][] {
  return s;
}

/** Value → text/color mapping, e.g. `{ 3: ['GREEN', 'green'] }`. */
export function valueMap(m: Record<string, [string, string]>): ValueMapping {
  const options: Record<string, { text: string; color: string; index: number }> = {};
  for (const [index, [k, [t, color]]] of Object.entries(m).entries()) options[k] = { text: t, color, index };
  return { type: MappingType.ValueToText, options };
}

export function rangeMap(from: number, to: number, t: string, color: string): ValueMapping {
  return { type: MappingType.RangeToText, options: { from, to, result: { text: t, color } } };
}

/** Fixed colors for series by display name (state names in legend position). */
export function colorByName(m: Record<string, string>): Override[] {
  return Object.entries(m).map(([name, color]) => ({
    matcher: { id: 'byName', options: name },
    properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: color } }],
  }));
}

/** Data links on one table column. */
export function columnLinks(column: string, links: Link[]): Override {
  return {
    matcher: { id: 'byName', options: column },
    properties: [{ id: 'links', value: links.map((l) => ({ title: l.title, url: l.url, targetBlank: true })) }],
  };
}

/** Property overrides on one table column. */
export function column(columnName: string, props: Record<string, unknown>): Override {
  return {
    matcher: { id: 'byName', options: columnName },
    properties: Object.entries(props).map(([id, value]) => ({ id, value })),
  };
}

/** Series whose display name matches a regex (Grafana anchors it: `^…$`). */
export function seriesMatching(regex: string, props: Record<string, unknown>): Override {
  return {
    matcher: { id: 'byRegexp', options: regex },
    properties: Object.entries(props).map(([id, value]) => ({ id, value })),
  };
}

/**
 * Money is never summed across currencies, and Grafana cannot take a unit from a label, so money
 * panels put the currency at the end of the legend, `… (USD)`, and these overrides give each
 * series its currency unit. Grafana has units for some of Meta's billing currencies; the others
 * get the ISO code as a suffix.
 */
const GRAFANA_CURRENCY_UNITS: Record<string, string> = {
  USD: 'currencyUSD',
  EUR: 'currencyEUR',
  GBP: 'currencyGBP',
  INR: 'currencyINR',
  IDR: 'currencyIDR',
  BRL: 'currencyBRL',
  MYR: 'currencyMYR',
};
export const META_CURRENCIES = [
  'USD',
  'EUR',
  'GBP',
  'INR',
  'IDR',
  'BRL',
  'MYR',
  'AUD',
  'MXN',
  'AED',
  'ARS',
  'CLP',
  'COP',
  'PEN',
  'SAR',
  'SGD',
];

export function moneyOverrides(): Override[] {
  return META_CURRENCIES.map((c) =>
    seriesMatching(`.*\\(${c}\\)`, { unit: GRAFANA_CURRENCY_UNITS[c] ?? `suffix: ${c}` }),
  );
}

/** Generic unit of money panels before the per-currency overrides apply. */
export const MONEY_UNIT = 'short';

// ---------------------------------------------------------------------------------------------
// private helpers

type Finishable = {
  title(t: string): unknown;
  description(d: string): unknown;
  unit(u: string): unknown;
  datasource(d: { type: string; uid: string }): unknown;
  gridPos(g: { x: number; y: number; w: number; h: number }): unknown;
  withTarget(t: cog.Builder<cog.Dataquery>): unknown;
  links(l: cog.Builder<DashboardLink>[]): unknown;
  dataLinks(l: cog.Builder<DashboardLink>[]): unknown;
  thresholds(t: cog.Builder<ThresholdsConfig>): unknown;
  mappings(m: ValueMapping[]): unknown;
  min(n: number): unknown;
  max(n: number): unknown;
  decimals(n: number): unknown;
  noValue(s: string): unknown;
  withOverride(o: Override): unknown;
} & PanelLike;

function finish<P extends Finishable>(p: P, o: Common, instant: boolean, format?: 'table'): P {
  p.title(o.title);
  p.description(o.description);
  p.unit(o.unit);
  p.datasource(DS);
  p.gridPos({ x: 0, y: 0, w: o.w, h: o.h });
  o.queries.forEach((q, i) => {
    const t = new DataqueryBuilder()
      .datasource(DS)
      .refId(refId(i))
      .expr(q.expr)
      .legendFormat(q.legend ?? '__auto');
    if (instant) t.instant();
    else t.range();
    if (format) t.format(format as never);
    p.withTarget(t);
  });
  if (o.links?.length)
    p.links(o.links.map((l) => lit({ title: l.title, url: l.url, targetBlank: true } as unknown as DashboardLink)));
  if (o.dataLinks?.length)
    p.dataLinks(
      o.dataLinks.map((l) => lit({ title: l.title, url: l.url, targetBlank: true } as unknown as DashboardLink)),
    );
  const th = o.thresholds ?? [['green', null]];
  p.thresholds(
    lit<ThresholdsConfig>({ mode: ThresholdsMode.Absolute, steps: th.map(([color, value]) => ({ color, value })) }),
  );
  if (o.mappings) p.mappings(o.mappings);
  if (o.min !== undefined) p.min(o.min);
  if (o.max !== undefined) p.max(o.max);
  if (o.decimals !== undefined) p.decimals(o.decimals);
  if (o.noValue !== undefined) p.noValue(o.noValue);
  for (const ov of o.overrides ?? []) p.withOverride(ov);
  return p;
}

/** A, B, …, Z, AA, AB, … */
function refId(i: number): string {
  return i < 26 ? String.fromCharCode(65 + i) : refId(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26));
}

/** A plain object as a builder, for small config objects whose SDK builders add nothing. */
function lit<T>(v: T): cog.Builder<T> {
  return { build: () => v };
}

/**
 * Message status updates per second by status, from whatsapp_message_statuses_total: shared by the
 * Delivery and Phone number dashboards (each with its own title and wording).
 */
export function messageStatusRates(o: { title: string; description: string; filter: string }): PanelLike {
  return timeseries({
    title: o.title,
    description: o.description,
    unit: 'cps',
    queries: [
      {
        expr: `sum by (status) (rate(whatsapp_message_statuses_total{${o.filter}}[$__rate_interval]))`,
        legend: '{{status}}',
      },
    ],
    overrides: colorByName({ sent: 'blue', delivered: 'green', read: 'purple', failed: 'red' }),
    w: 12,
    h: 8,
  });
}

/**
 * Meta's own cost of the last 24 h per pricing category and currency (pricing_analytics): shared by
 * the Overview and Billing dashboards (each with its own wording).
 */
export function metaCost24hByCategory(o: { description: string; filter: string }): PanelLike {
  return barGauge({
    title: 'Meta cost by category (last 24h)',
    description: o.description,
    unit: MONEY_UNIT,
    queries: [
      {
        expr: `sum by (currency, pricing_category) (whatsapp_pricing_cost_24h{${o.filter}})`,
        legend: '{{pricing_category}} ({{currency}})',
      },
    ],
    overrides: moneyOverrides(),
    w: 12,
    h: 8,
  });
}
