import { QUALITY_SCORE } from '../sources/graph/enums.js';
import type { TemplatesData } from '../sources/graph/model.js';
import { gauge, type Samples } from '../metrics/family.js';
import { metric } from '../metrics/names.js';
import type { Collector } from './types.js';
import { TEMPLATES } from '../sources/keys.js';

export const TEMPLATE_COUNT = gauge(
  metric('message_templates'),
  'Number of message templates per category and status (only combinations that exist).',
  ['business_id', 'waba_id', 'category', 'status'],
);
export const TEMPLATE_STATUS_F = gauge(
  metric('message_template_status'),
  'Current status of each template (only the current status series, value 1).',
  ['business_id', 'waba_id', 'template_name', 'language', 'category', 'status'],
);
export const TEMPLATE_QUALITY = gauge(
  metric('message_template_quality_score'),
  'Template quality: GREEN 3, YELLOW 2, RED 1, UNKNOWN 0.',
  ['business_id', 'waba_id', 'template_name', 'language'],
);

/** perTemplateSeries=false keeps only the bounded counts, for accounts with very many templates. */
export function templatesCollector(perTemplateSeries: () => boolean): Collector {
  return {
    name: 'templates',
    sources: [TEMPLATES, 'config'],
    collect(view, out) {
      const perTemplate = perTemplateSeries();
      for (const { target, data } of view.fresh(TEMPLATES)) {
        out.group(target, `${perTemplate}|${JSON.stringify(data)}`, () => emit(data, perTemplate, out));
      }
    },
  };
}

function emit(data: TemplatesData, perTemplate: boolean, out: Samples): void {
  const id = { business_id: data.businessId, waba_id: data.wabaId };
  const counts = new Map<string, { category: string; status: string; n: number }>();
  for (const t of data.templates) {
    const category = t.category ?? '';
    const status = t.status ?? '';
    const k = `${category}\u0000${status}`;
    const c = counts.get(k) ?? { category, status, n: 0 };
    c.n++;
    counts.set(k, c);
    if (!perTemplate) continue;
    const tid = { ...id, template_name: t.name, language: t.language };
    if (t.status) out.add(TEMPLATE_STATUS_F, { ...tid, category, status: t.status }, 1);
    const q = t.quality !== undefined ? QUALITY_SCORE[t.quality] : undefined;
    if (q !== undefined) out.add(TEMPLATE_QUALITY, tid, q);
  }
  for (const c of counts.values()) out.add(TEMPLATE_COUNT, { ...id, category: c.category, status: c.status }, c.n);
}
