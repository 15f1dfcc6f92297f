// The layers of pb-jira-sync and what may import what (docs/architecture.md explains each rule).
// `npm test` runs `npm run depcheck`: an import that points the wrong way fails the build.
/** Paths of our own code other than the given folders (regex alternatives under src/). */
const ourCodeExcept = (...allowed) => `^(src/(?!${allowed.join('|')})|connectors/)`;

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import cycles hide which part is below which.', from: {}, to: { circular: true } },
    {
      name: 'util-is-the-floor',
      severity: 'error',
      comment: 'src/util imports nothing of ours.',
      from: { path: '^src/util/' },
      to: { path: ourCodeExcept('util/') },
    },
    {
      name: 'errors-and-log-are-leaves',
      severity: 'error',
      from: { path: '^src/(errors\\.ts|log/)' },
      to: { path: ourCodeExcept('errors\\.ts', 'log/', 'util/') },
    },
    {
      name: 'model-is-a-leaf',
      severity: 'error',
      comment: 'The model (types, ports, pure indexing) imports nothing of ours but util.',
      from: { path: '^src/model/' },
      to: { path: ourCodeExcept('model/', 'util/') },
    },
    {
      name: 'http-is-infrastructure',
      severity: 'error',
      comment: 'The HTTP policy knows no domain.',
      from: { path: '^src/http/' },
      to: { path: ourCodeExcept('http/', 'util/', 'errors\\.ts', 'log/') },
    },
    {
      name: 'mapping-below-config',
      severity: 'error',
      comment: 'The mapping imports model, util and errors; config loads the mapping, not the reverse.',
      from: { path: '^src/mapping/' },
      to: { path: ourCodeExcept('mapping/', 'model/', 'util/', 'errors\\.ts') },
    },
    {
      name: 'config-loads-the-mapping-only',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: ourCodeExcept('config/', 'mapping/', 'model/', 'util/', 'errors\\.ts') },
    },
    {
      name: 'ledger-does-no-network',
      severity: 'error',
      comment: 'The ledger imports model, util and errors only: no http, engine or connector.',
      from: { path: '^src/ledger/' },
      to: { path: ourCodeExcept('ledger/', 'model/', 'util/', 'errors\\.ts') },
    },
    {
      name: 'connectors-below-the-engine',
      severity: 'error',
      comment: 'Connectors implement the ports: they import model, http, util, errors and log only.',
      from: { path: '^connectors/' },
      to: { path: '^src/(?!model/|http/|util/|errors\\.ts|log/)' },
    },
    {
      name: 'connectors-are-independent',
      severity: 'error',
      from: { path: '^connectors/([^/]+)/' },
      to: { path: '^connectors/', pathNot: '^connectors/$1/' },
    },
    {
      name: 'engine-knows-ports-only',
      severity: 'error',
      comment: 'The engine imports no connector, no composition root, no sandbox, no CLI (nor what sits above it).',
      from: { path: '^src/engine/' },
      to: { path: '^(connectors/|src/(wiring|sandbox|cli|scheduler|report)/)' },
    },
    {
      name: 'only-the-wiring-knows-connectors',
      severity: 'error',
      comment: 'src/wiring is the composition root: the only product code that imports a connector.',
      from: { path: '^(src|scripts)/', pathNot: '^src/wiring/' },
      to: { path: '^connectors/' },
    },
    {
      name: 'report-formats-only',
      severity: 'error',
      from: { path: '^src/report/' },
      to: { path: '^(connectors/|src/(wiring|sandbox|cli|scheduler|ledger|http)/)' },
    },
    {
      name: 'the-product-never-imports-the-sandbox',
      severity: 'error',
      comment: 'Only the demo and sandbox commands (and scripts, tests) start the simulators.',
      from: { path: '^(src|connectors)/', pathNot: '^(src/sandbox/|src/cli/commands/(demo|sandbox)\\.ts$)' },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'the-sandbox-is-sealed',
      severity: 'error',
      comment: 'The simulators follow the vendors, not our client.',
      from: { path: '^src/sandbox/' },
      to: { path: ourCodeExcept('sandbox/') },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
