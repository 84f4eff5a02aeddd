/** A Lambda's environment: a missing or unreadable variable is a typed SettingsError naming it. */
import { describe, expect, it } from 'vitest';
import { SettingsError } from '../../../../functions/handlers/wiring/settings-error.ts';
import { readNumberEnv, requireEnv, splitRepository } from '../../../../functions/handlers/wiring/settings.ts';
import { catchError } from '../../../support/catch-error.ts';

describe('reading the environment', () => {
  it.each([
    { name: 'requireEnv: set', read: () => requireEnv({ REPORTS_BUCKET: 'b' }, 'REPORTS_BUCKET'), value: 'b' },
    { name: 'readNumberEnv: unset takes the fallback', read: () => readNumberEnv({}, 'REGOPS_MAX_CLUSTERS', 1000), value: 1000 },
    { name: 'readNumberEnv: empty takes the fallback', read: () => readNumberEnv({ REGOPS_MAX_CLUSTERS: '' }, 'REGOPS_MAX_CLUSTERS', 1000), value: 1000 },
    { name: 'readNumberEnv: set', read: () => readNumberEnv({ REGOPS_MAX_CLUSTERS: '250' }, 'REGOPS_MAX_CLUSTERS', 1000), value: 250 },
    { name: 'splitRepository', read: () => splitRepository('acme/registry-config'), value: { owner: 'acme', repo: 'registry-config' } },
  ])('$name', ({ read, value }) => {
    expect(read()).toEqual(value);
  });

  it.each([
    { name: 'requireEnv: unset', read: () => requireEnv({}, 'REPORTS_BUCKET'), variable: 'REPORTS_BUCKET', message: /^environment variable REPORTS_BUCKET is not set/ },
    { name: 'requireEnv: empty', read: () => requireEnv({ REGOPS_BRANCH: '' }, 'REGOPS_BRANCH'), variable: 'REGOPS_BRANCH', message: /^environment variable REGOPS_BRANCH is not set/ },
    { name: 'readNumberEnv: not a number', read: () => readNumberEnv({ REGOPS_POLL_SECONDS: 'soon' }, 'REGOPS_POLL_SECONDS', 15), variable: 'REGOPS_POLL_SECONDS', message: /^environment variable REGOPS_POLL_SECONDS: expected a number ≥ 0, got soon$/ },
    { name: 'readNumberEnv: negative', read: () => readNumberEnv({ REGOPS_POLL_SECONDS: '-1' }, 'REGOPS_POLL_SECONDS', 15), variable: 'REGOPS_POLL_SECONDS', message: /got -1$/ },
    { name: 'splitRepository: no slash', read: () => splitRepository('registry-config'), variable: 'REGOPS_REPOSITORY', message: /^repository registry-config: expected owner\/name/ },
    { name: 'splitRepository: too many parts', read: () => splitRepository('acme/registry/config'), variable: 'REGOPS_REPOSITORY', message: /expected owner\/name/ },
    { name: 'splitRepository: empty owner', read: () => splitRepository('/registry-config'), variable: 'REGOPS_REPOSITORY', message: /expected owner\/name/ },
  ])('$name: SettingsError settings.invalid naming $variable', ({ read, variable, message }) => {
    const thrown = catchError(read);
    expect(thrown).toBeInstanceOf(SettingsError);
    expect(thrown).toMatchObject({ code: 'settings.invalid', context: { variable } });
    expect((thrown as Error).message).toMatch(message);
  });
});
