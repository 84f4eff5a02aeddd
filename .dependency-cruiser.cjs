/** Layer rules from DESIGN.md / STYLE.md: dependencies point down only. Every rule is an error. */
const io = '^(node:)?(fs|fs/promises|http|https|http2|net|tls|dns|child_process|os|process|worker_threads|readline|cluster|dgram)$';
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'core does no I/O: no other layer, no node I/O modules, no network clients',
      severity: 'error',
      from: { path: '^functions/core/' },
      to: { path: ['^functions/(adapters|engine|handlers|cli|sandbox)/', io, '@aws-sdk', '@kubernetes/client-node', '@octokit', 'node_modules/(@aws-sdk|@kubernetes|@octokit)/'] },
    },
    {
      name: 'engine-uses-ports-only',
      comment: 'the engine owns the ports (engine/ports.ts) and never imports an adapter or an entry point',
      severity: 'error',
      from: { path: '^functions/engine/' },
      to: { path: ['^functions/(handlers|cli|sandbox|adapters)/', io, '@aws-sdk', '@kubernetes/client-node', '@octokit', 'node_modules/(@aws-sdk|@kubernetes|@octokit)/'] },
    },
    {
      name: 'adapters-decide-no-policy',
      comment: 'adapters implement the engine\'s ports (engine/ports.ts) and import nothing else of the engine',
      severity: 'error',
      from: { path: '^functions/adapters/' },
      to: { path: '^functions/(engine/(?!ports\\.ts$)|handlers|cli|sandbox)/' },
    },
    {
      name: 'sandbox-is-an-independent-oracle',
      comment: 'the sandbox shares data (CRD schemas), never code, with regops',
      severity: 'error',
      from: { path: '^functions/sandbox/' },
      to: { path: '^functions/(core|adapters|engine|handlers|cli)/' },
    },
    {
      name: 'testbed-is-an-independent-oracle',
      comment: 'like the sandbox, the real testbed (functions/testbed) shares data, never code, with regops',
      severity: 'error',
      from: { path: '^functions/testbed/' },
      to: { path: '^functions/(core|adapters|engine|handlers|cli|sandbox)/' },
    },
    {
      name: 'handlers-never-bundle-the-sandbox-or-cli',
      severity: 'error',
      from: { path: '^functions/handlers/' },
      to: { path: '^functions/(cli|sandbox|testbed)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
