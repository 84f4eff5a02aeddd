/** `regops sandbox down`: asks the sandbox `up` started (or --url) to shut down. */
import { readFile } from 'node:fs/promises';
import { RegopsError } from '../core/errors.ts';
import { request } from 'node:https';
import { exitCodes, type ExitCode } from './exit-codes.ts';
import type { CliCommand } from './cli-command.ts';
import { pickOptions, type CommandLine } from './parse-command-line.ts';
import { sandboxStateFile } from './sandbox-up.ts';
import { UsageError } from './usage-error.ts';

export async function runSandboxDown(line: CommandLine): Promise<ExitCode> {
  const state = JSON.parse(await readFile(sandboxStateFile, 'utf8').catch(() => '{}')) as { url?: string; caFile?: string; adminToken?: string };
  const url = line.values.url ?? state.url;
  if (url === undefined) throw new UsageError(`sandbox down: no running sandbox recorded in ${sandboxStateFile}; pass --url`);
  const ca = state.caFile === undefined ? undefined : await readFile(state.caFile, 'utf8');
  await new Promise<void>((done, fail) => {
    // the control endpoints need the admin token `sandbox up` recorded; without it the sandbox answers 401
    const headers = state.adminToken === undefined ? {} : { authorization: `Bearer ${state.adminToken}` };
    const req = request(`${url}/_sandbox/shutdown`, { method: 'POST', headers, ...(ca === undefined ? {} : { ca }) }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? done() : fail(new RegopsError('sandbox.down-refused', `sandbox ${url}: shutdown answered ${res.statusCode ?? 0} (401: the admin token in ${sandboxStateFile} is missing or from another sandbox)`, { status: res.statusCode ?? 0 }))));
    });
    req.on('error', fail);
    req.end();
  });
  process.stdout.write(`regops sandbox: stopped ${url}\n`);
  return exitCodes.ok;
}

export const sandboxDownCommand: CliCommand = { options: pickOptions('url'), run: runSandboxDown };
