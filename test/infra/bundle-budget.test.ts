/**
 * The function bundles (infra/bundle.ts) stay within the 1.5 MB budget, entry and chunks together
 * (issue 14 item 9), and what keeps them there is wired: client-node's generated model classes are
 * left out (its dist/gen code marked free of side effects, the adapters importing client-node module
 * by module), and each package of functionShims is replaced by its infra/shims module, which throws
 * ShimReachedError if called. That no function path reaches a shim is shown by the tests that run the
 * bundled code against the sandbox: test/integration/serverless/bundles.test.ts and e2e.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleBudgetBytes, bundleHandler, bundleOptions, functionShims, handlerNames, type BundleResult, type HandlerName } from '../../infra/bundle.ts';
import { ShimReachedError } from '../../infra/shims/shim-reached-error.ts';
import { catchError } from '../support/catch-error.ts';

const bundles = new Map<HandlerName, BundleResult>();

beforeAll(() => {
  // a folder of its own: other test files bundle into cdk.out/test-bundles at the same time
  for (const name of handlerNames) bundles.set(name, bundleHandler(name, join('cdk.out', 'budget-bundles')));
}, 180_000);

const bundleOf = (name: HandlerName): BundleResult => {
  const bundle = bundles.get(name);
  if (bundle === undefined) throw new Error(`${name} was not bundled`);
  return bundle;
};

describe('function bundle budget', () => {
  it.each([...handlerNames])('%s is within 1.5 MB, entry and chunks', (name) => {
    const bundle = bundleOf(name);
    expect(bundle.files.length).toBeGreaterThan(1);
    expect(bundle.bytes).toBeLessThanOrEqual(bundleBudgetBytes);
  });

  it.each(['reconcile-cluster', 'drift-scan'] as const)('%s holds client-node without its generated model classes', (name) => {
    const clientNode = bundleOf(name).modules.filter((m) => m.startsWith('node_modules/@kubernetes/client-node/'));
    // the KubeConfig and the request machinery are there: the functions reach the clusters through them
    expect(clientNode).toEqual(expect.arrayContaining(['node_modules/@kubernetes/client-node/dist/config.js', 'node_modules/@kubernetes/client-node/dist/gen/http/http.js']));
    expect(clientNode.filter((m) => m.includes('/dist/gen/models/') || m.endsWith('/dist/serializer.js') || m.endsWith('/dist/object.js'))).toEqual([]);
  });
});

describe('function shims', () => {
  it.each(Object.entries(functionShims))('%s is replaced by its shim in every function bundle that imports it', (pkg, shim) => {
    const shimModule = relative(process.cwd(), shim);
    const holders = handlerNames.filter((name) => bundleOf(name).modules.includes(shimModule));
    // client-node's KubeConfig imports js-yaml and the auth providers; the AWS SDK (in every function) bowser
    expect(holders).toEqual(pkg === 'bowser' ? [...handlerNames] : ['reconcile-cluster', 'drift-scan']);
    for (const name of handlerNames) expect(bundleOf(name).modules.filter((m) => m.startsWith(`node_modules/${pkg}/`)), name).toEqual([]);
  });

  it('the CLI build bundles the real packages: it reads kubeconfig files, whose users may use any auth provider', () => {
    const alias = bundleOptions('functions/cli/main.ts', 'dist/cli/main.mjs', { cli: true }).alias ?? {};
    expect(Object.keys(alias).filter((pkg) => pkg in functionShims)).toEqual([]);
  });

  it('each shim throws ShimReachedError naming its package when called', async () => {
    const yaml = await import('../../infra/shims/js-yaml.ts');
    const jsonpath = await import('../../infra/shims/jsonpath-plus.ts');
    const oidc = await import('../../infra/shims/openid-client.ts');
    const calls: Array<[string, () => unknown]> = [
      ['js-yaml', () => yaml.default.load()],
      ['js-yaml', () => yaml.dump()],
      ['jsonpath-plus', () => jsonpath.JSONPath()],
      ['openid-client', () => oidc.discovery()],
      ['openid-client', () => oidc.refreshTokenGrant()],
    ];
    for (const [pkg, call] of calls) {
      const error = catchError(call);
      expect(error).toBeInstanceOf(ShimReachedError);
      expect(error).toMatchObject({ code: 'bundle.shim-reached', context: { package: pkg } });
      expect((error as Error).message).toMatch(new RegExp(`^${pkg} \\(`));
    }
  });

  it('the bowser shim throws ShimReachedError when loaded: the AWS SDK imports it only on a browser path', async () => {
    const error = await import('../../infra/shims/bowser.ts').then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ShimReachedError);
    expect(error).toMatchObject({ code: 'bundle.shim-reached', context: { package: 'bowser' } });
  });
});

describe("client-node's generated code, marked free of side effects by infra/bundle.ts", () => {
  // top-level statements of the generated files: declarations, imports/exports, static fields
  // assigned to the file's own class, enum IIFEs over a local; anything else could be a side effect
  // esbuild would then drop. Checked on the installed version, so an upgrade that adds one fails here.
  const allowed = /^(?:$|\s|\/\/|\/\*|\*|import |export (?:class|function|async function|const|let|var|\*|\{|default) |(?:const|let|var|function|class) |\}|\]|\)|;|\(function \(\w+\) \{)/;

  function filesUnder(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.name.endsWith('.js') ? [join(dir, entry.name)] : []));
  }

  it('assigns nothing at module level but static fields of its own classes', () => {
    const files = filesUnder(join('node_modules', '@kubernetes', 'client-node', 'dist', 'gen'));
    expect(files.length).toBeGreaterThan(500);
    const suspicious: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const classes = new Set([...text.matchAll(/^export class (\w+)/gm)].map((m) => m[1]));
      for (const line of text.split('\n')) {
        if (allowed.test(line)) continue;
        const assigned = /^(\w+)\.\w+ = /.exec(line)?.[1];
        if (assigned !== undefined && classes.has(assigned)) continue;
        suspicious.push(`${file}: ${line.slice(0, 120)}`);
      }
    }
    expect(suspicious).toEqual([]);
  });
});
