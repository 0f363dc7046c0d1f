/**
 * The inward arrows of ../shared/ARCHITECTURE.md, enforced in `npm run lint`.
 * Core: policy <- kms <- rules, findings, respond/plan, trail/detect. It never imports adapters, the AWS SDK,
 * the file system, the network or the clock-reading Node modules.
 * Adapters (sources, sinks, store, respond/aws, trail/read) import the core and nothing of each other.
 * app composes core + adapter interfaces; only cli and lambda pick implementations.
 */
const CORE = '^src/(policy|kms|rules|findings|respond/plan|trail/detect)/';
const ADAPTERS = ['sources', 'sinks', 'store', 'respond/aws', 'trail/read'];
const NODE_IO =
  '^(fs|node:fs|fs/promises|node:fs/promises|child_process|node:child_process|net|node:net|http|node:http|https|node:https|dgram|node:dgram|os|node:os)$';

module.exports = {
  forbidden: [
    {
      name: 'core-no-aws-sdk',
      comment: 'The pure core never imports the AWS SDK.',
      severity: 'error',
      from: { path: CORE },
      to: { path: '(^|/)node_modules/@(aws-sdk|smithy)/' },
    },
    {
      name: 'core-no-io',
      comment: 'The pure core never touches the file system, processes or the network.',
      severity: 'error',
      from: { path: CORE },
      to: { dependencyTypes: ['core'], path: NODE_IO },
    },
    {
      name: 'core-no-outer-layers',
      comment: 'The core imports only the core.',
      severity: 'error',
      from: { path: CORE },
      to: { path: '^src/(sources|sinks|store|respond/aws|trail/read|app|cli|lambda)/' },
    },
    {
      name: 'policy-is-innermost',
      comment: 'src/policy is the innermost layer.',
      severity: 'error',
      from: { path: '^src/policy/' },
      to: { path: '^src/(?!policy/)' },
    },
    {
      name: 'kms-only-policy',
      comment: 'src/kms builds on src/policy only.',
      severity: 'error',
      from: { path: '^src/kms/' },
      to: { path: '^src/(?!policy/|kms/)' },
    },
    ...ADAPTERS.map((adapter) => ({
      name: `adapter-${adapter.replace('/', '-')}-isolated`,
      comment: `${adapter} imports the core, never another adapter, app, cli or lambda.`,
      severity: 'error',
      from: { path: `^src/${adapter}/` },
      to: {
        path: `^src/(${[...ADAPTERS.filter((a) => a !== adapter), 'app', 'cli', 'lambda'].join('|')})/`,
      },
    })),
    {
      name: 'app-no-cli-lambda',
      comment: 'app composes use cases; only cli and lambda wire implementations.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: '^src/(cli|lambda)/' },
    },
    {
      name: 'app-no-aws-sdk',
      comment: 'app receives adapters as arguments; it never talks to AWS itself.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: '(^|/)node_modules/@(aws-sdk|smithy)/' },
    },
    {
      name: 'cli-lambda-separate',
      comment: 'cli and lambda are separate doors.',
      severity: 'error',
      from: { path: '^src/(cli|lambda)/' },
      to: { path: '^src/(cli|lambda)/', pathNot: '^src/$1/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-test-code-in-src',
      comment: 'Production code never imports tests or test helpers.',
      severity: 'error',
      from: { pathNot: '\\.test\\.ts$|^test/' },
      to: { path: '\\.test\\.ts$|^test/' },
    },
    {
      name: 'no-dev-deps-in-src',
      comment: 'Shipped code never imports dev dependencies (iam-simulate is AGPL: tests and bench only).',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['npm-dev'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    exclude: { path: 'src/kms/generated/' },
  },
};
