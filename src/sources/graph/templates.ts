import { DEFAULT_TEMPLATE_PAGE_LIMIT } from '../../config/defaults.js';
import { graphCredential } from '../credentials.js';
import { ACCOUNTS, TEMPLATES, TOKEN } from '../keys.js';
import type { FetchResult, SourceDef } from '../types.js';
import { wabaTargets } from './discovered.js';
import type { UnknownEnum } from './enums.js';
import { getWithFields } from './field-retry.js';
import { templatesPlan } from './fields.js';
import type { TemplateRecord, TemplatesData } from './model.js';
import { collectPages } from './paging.js';
import { parseTemplate } from './parse.js';
import { TEMPLATE_PAGE } from './schema.js';

/** graph_templates: each known WABA's message templates (status, category, quality). */
export const templatesSource: SourceDef<TemplatesData> = {
  key: TEMPLATES,
  traits: {
    shard: { waba: 'by_id' },
    wabaCost: { calls: 1, wabas: 'every' },
    reads: [ACCOUNTS],
    onAuthFailure: TOKEN,
    usageFeedback: true,
  },
  settings: (config) => config.sources.graph_templates,
  targets: wabaTargets,
  async fetch(ctx, target): Promise<FetchResult<TemplatesData>> {
    const unknown: UnknownEnum[] = [];
    const cred = graphCredential(target);
    const version = ctx.config.graph.api_version;
    const { raw } = await getWithFields(ctx.fields, version, templatesPlan(version), (fields) =>
      ctx.graph.get(cred, {
        path: `${target.id}/message_templates`,
        params: { fields, limit: String(DEFAULT_TEMPLATE_PAGE_LIMIT) },
        endpoint: 'message_templates',
      }),
    );
    const first = ctx.graph.expectShape('message_templates', TEMPLATE_PAGE, raw);
    const items = await collectPages(ctx.graph, cred, first, 'message_templates', TEMPLATE_PAGE);
    const seen = new Set<string>();
    const templates: TemplateRecord[] = [];
    for (const raw of items) {
      const t = parseTemplate(raw, unknown);
      const k = t && `${t.name}\u0000${t.language}`;
      if (t && k && !seen.has(k)) {
        seen.add(k);
        templates.push(t);
      }
    }
    return { data: { wabaId: target.id, businessId: target.businessId ?? '', templates }, unknown };
  },
};
