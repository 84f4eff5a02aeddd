/**
 * Secret values a server echoes back never reach regops' output (issue 10 item 6), through the real
 * CLI and clients:
 * - Kubernetes: an HTTP proxy in front of one cluster of the target REGOPS_TEST_TARGET names
 *   (test/support/cli-target.ts) answers every Secret write with a 422
 *   whose message quotes the value the way a Go API server does (JSON-escaped), plus its base64
 *   without padding, its URL encoding and a 10-character piece of it. Nothing else is changed: the
 *   proxy forwards every other request to the cluster (no stand-in decides what the API does).
 * - GitHub: the GitHub stand-in answers the tree read with a 401 whose message echoes the token.
 * stdout, stderr and every report file are searched for every form of the values.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRegops } from '../../../functions/cli/main.ts';
import { captureOutput } from '../../support/capture-output.ts';
import { type CliTarget, startCliTarget, timeoutFor } from '../../support/cli-target.ts';
import { startGitHubStandIn, type GitHubStandIn } from '../../support/github-stand-in.ts';

// characters whose JSON, URL and base64 forms all differ from the value itself
const secretKey = 'wJalr"XUtn\\FEMI/K7MDENG<&>bPxRfiCYEXAMPLEKEY+ü';
const accessKey = 'AKIAECHOEXAMPLE00042';
const token = 'ghp_EchoedTokenValue0123456789abcdefABCD';

/** Every form the values could be printed in, and every 8-character piece of each. */
function forbiddenForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const b64 = Buffer.from(value, 'utf8').toString('base64');
  const forms = [value, json, json.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026'), encodeURIComponent(value), b64, b64.replace(/=+$/, ''), Buffer.from(value, 'utf8').toString('base64url')];
  const pieces = new Set<string>();
  for (const form of forms) for (let i = 0; i + 8 <= form.length; i += 1) pieces.add(form.slice(i, i + 8));
  return [...pieces];
}

function expectNoForm(text: string, value: string, where: string): void {
  const found = forbiddenForms(value).filter((piece) => text.includes(piece));
  expect(found, `${where} holds pieces of a secret value`).toEqual([]);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

let target: CliTarget;
let github: GitHubStandIn;
let proxy: Server;
let work: string;
let echoed = 0;

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

beforeAll(async () => {
  target = await startCliTarget('echo');
  work = target.work;
  const upstreamUrl = new URL(target.server('lab-bm-1'));
  proxy = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (req.method !== 'GET' && (req.url ?? '').includes('/secrets')) {
        // what a validating API server could answer: the rejected value quoted back (Go's JSON escaping)
        const sent = JSON.parse(body) as { data?: Record<string, string> };
        const plain = Object.values(sent.data ?? {}).map((b64) => Buffer.from(b64, 'base64').toString('utf8'));
        echoed += 1;
        const quoted = plain.map((p) => JSON.stringify(p).slice(1, -1).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026'));
        const message = `Secret "image-registry-private-configuration-user" is invalid: data: Invalid value: "${quoted.join('", "')}": rejected; base64 ${plain.map((p) => Buffer.from(p).toString('base64').replace(/=+$/, '')).join(' ')}; url ${plain.map(encodeURIComponent).join(' ')}; piece ${plain.map((p) => p.slice(3, 13)).join(' ')}`;
        const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Invalid', code: 422, details: { name: 'image-registry-private-configuration-user', kind: 'secrets', causes: plain.map((p) => ({ reason: 'FieldValueInvalid', field: 'data', message: `Invalid value: "${JSON.stringify(p).slice(1, -1)}"` })) } };
        res.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify(status));
        return;
      }
      const upstream = httpsRequest({ hostname: upstreamUrl.hostname, port: upstreamUrl.port, path: `${upstreamUrl.pathname.replace(/\/$/, '')}${req.url ?? ''}`, method: req.method, headers: { ...req.headers, host: upstreamUrl.host }, ca: target.caPem }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    })();
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as { port: number }).port;
  // the target's kubeconfig, with lab-bm-1 reached through the echoing proxy
  const kubeconfig = parse(await readFile(target.kubeconfig, 'utf8')) as { clusters: Array<{ name: string; cluster: Record<string, unknown> }> };
  for (const entry of kubeconfig.clusters) {
    // client-node refuses plain http unless TLS verification is explicitly off: the proxy is local
    if (entry.name === 'lab-bm-1') entry.cluster = { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true };
  }
  await writeFile(join(work, 'proxied.kubeconfig'), stringify(kubeconfig));
  await writeFile(join(work, 'secrets.json'), JSON.stringify({ 'regops/lab-bm-1/registry-s3': { accessKeyId: accessKey, secretAccessKey: secretKey } }));
  github = await startGitHubStandIn();
}, timeoutFor(60_000));

afterAll(async () => {
  await new Promise<void>((resolve) => proxy?.close(() => resolve()));
  await Promise.all([target?.stop(), github?.stop()]);
});

describe('secret values echoed by servers', { timeout: timeoutFor(120_000) }, () => {
  it('Kubernetes: a 422 quoting the storage secret (JSON-escaped, base64, URL-encoded, a piece) reaches no output and no report', async () => {
    const reportDir = join(work, 'reports');
    const { result: code, stdout, stderr } = await captureOutput(() => runRegops(['apply', '--cluster', 'lab-bm-1', '--config', target.config, '--kubeconfig', join(work, 'proxied.kubeconfig'), '--secrets-file', join(work, 'secrets.json'), '--report-dir', reportDir, '-o', 'json']));
    expect(code).toBe(1);
    expect(echoed, stderr).toBeGreaterThan(0);
    // the failure is still explained: the server's reason, the resource, the digest in place of the value
    expect(`${stdout}\n${stderr}`).toContain('Invalid');
    expect(`${stdout}\n${stderr}`).toMatch(/\[redacted sha256:[0-9a-f]{12}\]/);
    const files = await listFiles(reportDir);
    expect(files.length).toBeGreaterThan(0);
    const outputs: Array<[string, string]> = [['stdout', stdout], ['stderr', stderr], ...(await Promise.all(files.map(async (f): Promise<[string, string]> => [f, await readFile(f, 'utf8')])))];
    for (const [where, text] of outputs) {
      expectNoForm(text, secretKey, where);
      expectNoForm(text, accessKey, where);
    }
  });

  it('GitHub: a 401 whose message echoes the token prints no piece of it', async () => {
    github.route('GET', /\/repos\/acme\/fleet\/(commits|git)\//, (req) => ({ status: 401, body: { message: `Bad credentials: ${String(req.headers['authorization'] ?? '')} (${token.slice(4, 20)})`, documentation_url: 'https://docs.github.com/rest' } }));
    const saved = { token: process.env['GITHUB_TOKEN'], api: process.env['GITHUB_API_URL'] };
    Object.assign(process.env, { GITHUB_TOKEN: token, GITHUB_API_URL: github.url });
    try {
      const { result: code, stdout, stderr } = await captureOutput(() => runRegops(['validate', '--github', 'acme/fleet@main']));
      expect(code).toBe(1);
      expect(stderr).toContain('Bad credentials');
      expect(github.requests.some((r) => String(r.headers['authorization'] ?? '').includes(token))).toBe(true);
      expectNoForm(`${stdout}\n${stderr}`, token, 'CLI output');
    } finally {
      for (const [name, value] of [['GITHUB_TOKEN', saved.token], ['GITHUB_API_URL', saved.api]] as const) {
        if (value === undefined) Reflect.deleteProperty(process.env, name);
        else process.env[name] = value;
      }
    }
  });
});
