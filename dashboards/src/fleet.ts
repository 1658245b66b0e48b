/**
 * What keeps the dashboards readable and cheap at fleet scale (10,000 numbers in 2,000 WABAs of
 * 200 portfolios): counts instead of one series per number, top-N bounded by the query itself
 * (topk/bottomk, never a Grafana transform that fetches everything first), and annotations that
 * mark events aggregated by their kind. test/dashboards checks the bound statically (lint) and
 * against a 10,000-number sandbox (at most 100 series per query).
 */
import { ANNOTATION_STEP, type AnnotationSpec } from './common.js';
import { colorByName, type Override } from './panels.js';

/** Rows of a top-N table. */
export const TOP_ROWS = 20;
/** Bars of a top-N bar gauge, lines of a top-N graph (a graph's topk may pick other series at other steps). */
export const TOP_SERIES = 10;

/**
 * `count(expr)`, or 0 when `base` has series but none match `expr`: a count panel says 0 when
 * nothing is wrong, and still "No data" when there is nothing to count (exporter down, family off).
 * Not `or vector(0)`, which would show 0 for a fleet Prometheus does not see.
 */
export function countOrZero(expr: string, base: string): string {
  return `count(\n  ${expr}\n)\nor\n0 * count(${base})`;
}

/**
 * The current state (`metric{…, <label>} == 1`) of the objects whose state changed within the
 * last two annotation steps: they had more than one state with value 1 in that window. Works in
 * both state-set modes (in `active` the old state's series ends, in `full` it drops to 0), needs
 * no history before the window (a new object has one state: no event), and the window overlaps
 * the next step's, so a change between two steps' samples is still seen.
 */
export function stateChanged(metric: string, filter: string, identity: string, label: string): string {
  const window = `${2 * minutes(ANNOTATION_STEP)}m`;
  return `(${metric}{${filter}} == 1)\nand on (${identity})\n(count by (${identity}) (count by (${identity}, ${label}) (max_over_time(${metric}{${filter}}[${window}]) == 1)) > 1)`;
}

export const NUMBER_ID = 'business_id, waba_id, phone_number_id';
const TEMPLATE_ID = 'business_id, waba_id, template_name, language, status';

/** Annotation: numbers whose quality rating changed, counted by the new rating. */
export function qualityChanges(filter: string): AnnotationSpec {
  return {
    name: 'Quality rating changes',
    expr: `count by (rating) (\n${stateChanged('whatsapp_phone_number_quality_rating', filter, NUMBER_ID, 'rating')}\n)`,
    title: 'Quality rating changed to {{rating}}',
    text: 'Numbers whose quality rating (whatsapp_phone_number_quality_rating) is now {{rating}}.',
    tags: 'rating',
    color: 'orange',
  };
}

/** Annotation: numbers whose connection status changed, counted by the new status. */
export function statusChanges(filter: string): AnnotationSpec {
  return {
    name: 'Status changes',
    expr: `count by (status) (\n${stateChanged('whatsapp_phone_number_status', filter, NUMBER_ID, 'status')}\n)`,
    title: 'Status changed to {{status}}',
    text: 'Numbers whose connection status (whatsapp_phone_number_status) is now {{status}}.',
    tags: 'status',
    color: 'red',
  };
}

/** Annotation: portfolios whose messaging-limit tier changed, counted by the new tier; `scope` narrows them. */
export function tierChanges(filter: string, scope = ''): AnnotationSpec {
  return {
    name: 'Messaging limit tier changes',
    expr: `count by (tier) (\n${stateChanged('whatsapp_messaging_limit_tier', filter, 'business_id', 'tier')}${scope}\n)`,
    title: 'Messaging limit tier changed to {{tier}}',
    text: 'Business portfolios whose messaging limit tier (whatsapp_messaging_limit_tier) is now {{tier}}.',
    tags: 'tier',
    color: 'purple',
  };
}

/** Annotation: templates that became PAUSED or DISABLED, counted by status; `scope` narrows them. */
export function templatesPaused(filter: string, scope = ''): AnnotationSpec {
  // The family has series only for templates that need attention, so a pause is a series that
  // was not there one step ago (a template paused before Prometheus started is marked at its start).
  const current = (offset: string) =>
    `max by (${TEMPLATE_ID}) (whatsapp_message_template_status{${filter}, status=~"PAUSED|DISABLED"}${offset})`;
  return {
    name: 'Templates paused or disabled',
    expr: `count by (status) (\n${current('')}\nunless\n${current(` offset ${ANNOTATION_STEP}`)}${scope}\n)`,
    title: 'Templates {{status}}',
    text: 'Message templates whose status (whatsapp_message_template_status) became {{status}}: sends with them fail (132015 / 132016).',
    tags: 'status',
    color: 'dark-red',
  };
}

/**
 * Annotation: credit added to a billing account, from the statement's top-up rows, or from any
 * rise of the balance for providers without a statement. At most TOP_SERIES accounts per step.
 */
export function topUps(filter: string, scope = ''): AnnotationSpec {
  const selector = (counter: string) => (filter ? `${counter}{${filter}}` : counter);
  const added = (counter: string) =>
    `sum by (account, currency) (increase(${selector(counter)}[$__rate_interval])) > 0`;
  return {
    name: 'Top-ups',
    expr: `topk(${TOP_SERIES},\n  ${added('whatsapp_credit_topups_total')}\n  or on (account, currency)\n  ${added('whatsapp_credit_balance_increases_total')}\n)${scope}`,
    title: 'Credit added: {{account}} ({{currency}})',
    text: 'Messaging credit was added to billing account {{account}} (statement top-up or a rise of the balance).',
    tags: 'account,currency',
    color: 'green',
  };
}

/** Fixed colors of the quality ratings wherever they are a series name or a column value. */
export const QUALITY_COLORS: Override[] = colorByName({
  GREEN: 'green',
  YELLOW: 'yellow',
  RED: 'red',
  UNKNOWN: 'text',
});

function minutes(d: string): number {
  const m = /^(\d+)m$/.exec(d);
  if (!m) throw new Error(`annotation step must be whole minutes: ${d}`);
  return Number(m[1]);
}
