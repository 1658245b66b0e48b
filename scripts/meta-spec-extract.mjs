#!/usr/bin/env node
/**
 * Extracts from Meta's Business Messaging API OpenAPI spec (https://github.com/facebook/openapi,
 * MIT licence) what test/contract/meta-spec.test.ts checks the exporter and the sandbox against:
 * the GET answers of the Graph paths the exporter reads (schema and examples) and every component
 * schema they reference. The full spec is 1 MB; the extract is what the test needs, so the next
 * API version is one command and one reviewed diff:
 *
 *   node scripts/meta-spec-extract.mjs path/to/business-messaging-api_v24.0.yaml > test/fixtures/meta-spec/business-messaging-api.json
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The Graph GETs the exporter makes (src/sources/graph), as the spec names their paths. */
export const PATHS = [
  '/{Version}/{Business-ID}/owned_whatsapp_business_accounts',
  '/{Version}/{Business-ID}/client_whatsapp_business_accounts',
  '/{Version}/{WABA-ID}',
  '/{Version}/{WABA-ID}/phone_numbers',
  '/{Version}/{WABA-ID}/message_templates',
  '/{Version}/{WABA-ID}/subscribed_apps',
];

/** Enums of fields the exporter reads that the paths above do not reference (other answers declare them). */
export const EXTRA_SCHEMAS = [
  'WhatsAppBusinessAccountReviewStatus',
  'WhatsAppBusinessAccountVerificationStatus',
  'WhatsAppBusinessAccountOwnershipType',
  'WhatsAppCodeVerificationStatus_1',
  'WhatsAppPhoneNumberQualityRating_1',
  'WhatsAppBusinessSandboxEligibility_1',
  'WhatsAppDisplayNameStatus',
];

const file = process.argv[2];
if (!file) {
  console.error('usage: meta-spec-extract.mjs <business-messaging-api_vXX.X.yaml>');
  process.exit(2);
}
const spec = parse(readFileSync(file, 'utf8'));
const schemas = spec.components?.schemas ?? {};
const wanted = new Set();
const visit = (node) => {
  if (Array.isArray(node)) return node.forEach(visit);
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) {
      const name = v.slice('#/components/schemas/'.length);
      if (!wanted.has(name)) {
        wanted.add(name);
        visit(schemas[name]);
      }
    } else visit(v);
  }
};
const paths = {};
for (const p of PATHS) {
  const ok = spec.paths?.[p]?.get?.responses?.['200']?.content?.['application/json'];
  if (!ok) throw new Error(`the spec has no GET ${p} answering 200 application/json`);
  const examples = Object.fromEntries(Object.entries(ok.examples ?? {}).map(([k, v]) => [k, v.value]));
  paths[p] = { schema: ok.schema, examples };
  visit(ok.schema);
}
for (const name of EXTRA_SCHEMAS) {
  if (!schemas[name]) throw new Error(`the spec has no schema ${name}`);
  wanted.add(name);
  visit(schemas[name]);
}
const out = {
  source: `https://github.com/facebook/openapi ${file.split('/').pop()}`,
  license:
    'MIT License, Copyright (c) Meta Platforms, Inc. and affiliates (https://github.com/facebook/openapi/blob/main/LICENSE)',
  info: { title: spec.info?.title, version: spec.info?.version, openapi: spec.openapi },
  paths,
  schemas: Object.fromEntries([...wanted].sort().map((n) => [n, schemas[n]])),
};
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
