import { QUALITY_SCORE } from '../sources/graph/enums.js';
import type { TemplateRecord, TemplatesData } from '../sources/graph/model.js';
import { GrainSums } from './grain.js';
import { gauge, type Samples } from '../metrics/family.js';
import { metric } from '../metrics/names.js';
import type { Collector } from './types.js';
import { TEMPLATES } from '../sources/keys.js';

export const TEMPLATE_COUNT = gauge(
  metric('message_templates'),
  'Number of message templates per category and status (only combinations that exist).',
  ['business_id', 'waba_id', 'category', 'status'],
);
const ATTENTION = 'templates that need attention: status not APPROVED, or quality YELLOW or RED';
export const TEMPLATE_STATUS_F = gauge(
  metric('message_template_status'),
  'Current status of each template (only the current status series, value 1).',
  ['business_id', 'waba_id', 'template_name', 'language', 'category', 'status'],
  { subset: ATTENTION },
);
export const TEMPLATE_QUALITY = gauge(
  metric('message_template_quality_score'),
  'Template quality: GREEN 3, YELLOW 2, RED 1, UNKNOWN 0.',
  ['business_id', 'waba_id', 'template_name', 'language'],
  { subset: ATTENTION },
);

/** A template an operator must look at (the per-template series exported by default). */
export const needsAttention = (t: TemplateRecord): boolean =>
  (t.status !== undefined && t.status !== 'APPROVED') || t.quality === 'YELLOW' || t.quality === 'RED';

/**
 * Counts per category and status at the configured grain; per-template series for templates that
 * need attention (every template when opted in; none with per_template_series: false, for
 * accounts with very many templates).
 */
export function templatesCollector(perTemplateSeries: () => boolean): Collector {
  return {
    name: 'templates',
    sources: [TEMPLATES, 'config'],
    collect(view, out) {
      const perTemplate = perTemplateSeries();
      const fresh = view.fresh(TEMPLATES);
      // Per-WABA counts stay in the WABA's cached group; coarser sums span WABAs. (The opt-ins and
      // the grain clear the group cache when they change: fragments.ts.)
      const perWaba = out.aggregateBy !== 'business';
      for (const { target, data } of fresh) {
        out.group(target, `${perTemplate}|${JSON.stringify(data)}`, () => emit(data, perTemplate, perWaba, out));
      }
      if (!perWaba) {
        const sums = new GrainSums(out);
        for (const { data } of fresh) for (const c of counts(data)) sums.add(TEMPLATE_COUNT, c.labels, c.n);
        sums.flush();
      }
    },
  };
}

function counts(data: TemplatesData): Array<{ labels: Record<string, string>; n: number }> {
  const out = new Map<string, { labels: Record<string, string>; n: number }>();
  for (const t of data.templates) {
    const category = t.category ?? '';
    const status = t.status ?? '';
    const k = `${category}\u0000${status}`;
    const c = out.get(k) ?? { labels: { business_id: data.businessId, waba_id: data.wabaId, category, status }, n: 0 };
    c.n++;
    out.set(k, c);
  }
  return [...out.values()];
}

function emit(data: TemplatesData, perTemplate: boolean, withCounts: boolean, out: Samples): void {
  const id = { business_id: data.businessId, waba_id: data.wabaId };
  if (perTemplate) {
    for (const t of data.templates) {
      const attention = needsAttention(t);
      const tid = { ...id, template_name: t.name, language: t.language };
      if (t.status && (attention || out.completes(TEMPLATE_STATUS_F)))
        out.add(TEMPLATE_STATUS_F, { ...tid, category: t.category ?? '', status: t.status }, 1);
      const q = t.quality !== undefined ? QUALITY_SCORE[t.quality] : undefined;
      if (q !== undefined && (attention || out.completes(TEMPLATE_QUALITY))) out.add(TEMPLATE_QUALITY, tid, q);
    }
  }
  if (withCounts) for (const c of counts(data)) out.add(TEMPLATE_COUNT, c.labels, c.n);
}
