/**
 * The layering rule (docs/development.md "Layers"), checked by `npm run lint:layers` in `npm test`.
 * Data flows sources → poller → collectors → metrics; each layer imports only from below it.
 * Type-only imports are allowed where noted: they vanish at run time and carry no behaviour.
 */
const IO_MODULES =
  '^(node:)?(fs|fs/promises|net|http|https|child_process|dgram|dns)$|^(undici|express|better-sqlite3)$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Folders and files form no import cycle (type-only imports included).',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'sandbox-only-dynamically',
      severity: 'error',
      comment: 'Production code never loads the simulator statically: sandbox mode imports it with import().',
      from: { path: '^src/', pathNot: '^src/sandbox/' },
      to: { path: '^src/sandbox/', dependencyTypesNot: ['dynamic-import', 'type-only'] },
    },
    {
      name: 'sources-are-the-bottom',
      severity: 'error',
      comment: 'Sources return plain data: no poller, store, collectors, metrics, web or webhooks, no prom-client.',
      from: { path: '^src/(sources|billing)/' },
      to: {
        path: '^src/(poller|collectors|metrics|web|webhooks|main|app|reload)|^prom-client$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'poller-below-collectors',
      severity: 'error',
      comment: 'The poller schedules sources and fills the store; it knows nothing of metrics or pages.',
      from: { path: '^src/poller/' },
      to: { path: '^src/(collectors|metrics|web|webhooks)/|^prom-client$' },
    },
    {
      name: 'collectors-do-no-io',
      severity: 'error',
      comment: 'Collectors turn snapshots into samples: no network, file or database modules, no source fetch code.',
      from: { path: '^src/collectors/' },
      to: {
        path: [
          IO_MODULES,
          '^src/sources/graph/(client|http|paging|accounts|limits|templates|token|pricing)\\.ts$',
          '^src/billing/(http|sources)\\.ts$',
          '^src/billing/credit-line/(fetch|source)\\.ts$',
          '^src/state/(db|ledger)\\.ts$',
          '^src/web/',
          '^src/webhooks/(index|router|ingest)\\.ts$',
        ],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'metrics-is-a-leaf',
      severity: 'error',
      comment: 'metrics/ formats and serves families; it reads no source, store or collector (observer types only).',
      from: { path: '^src/metrics/' },
      to: { path: '^src/(sources|billing|poller|collectors|web|webhooks)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'webhooks-not-collectors',
      severity: 'error',
      comment: 'Webhooks ingest and persist; their metrics are collectors that read the webhook view.',
      from: { path: '^src/webhooks/' },
      to: { path: '^src/(collectors|metrics|web)/' },
    },
    {
      name: 'policy-is-pure',
      severity: 'error',
      comment: 'The policy table is data and pure functions, imported by alerts/, dashboards/ and the page.',
      from: { path: '^src/policy/' },
      to: { path: `^src/(?!policy/)|${IO_MODULES}` },
    },
    {
      name: 'src-stands-alone',
      severity: 'error',
      comment: 'Production code never imports tests, benches, generators or anything outside the project.',
      from: { path: '^src/' },
      to: { path: '^(test|bench|alerts|dashboards)/|^\\.\\./' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    exclude: { path: '^src/billing/rate-cards/' },
  },
};
