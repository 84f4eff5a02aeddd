/** The environment the stack gives each function (infra/regops-stack.ts), read once per container. */
import { SettingsError } from './settings-error.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/** A required environment variable; a missing one is a deployment error, named. */
export function requireEnv(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new SettingsError('settings.invalid', `environment variable ${name} is not set (the stack sets it; see infra/regops-stack.ts)`, { variable: name });
  return value;
}

export function readNumberEnv(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new SettingsError('settings.invalid', `environment variable ${name}: expected a number ≥ 0, got ${raw}`, { variable: name });
  return value;
}

/** `owner/name` → parts. */
export function splitRepository(repository: string): { owner: string; repo: string } {
  const [owner, repo, extra] = repository.split('/');
  if (owner === undefined || repo === undefined || extra !== undefined || owner === '' || repo === '') throw new SettingsError('settings.invalid', `repository ${repository}: expected owner/name (environment variable REGOPS_REPOSITORY, stack context regops:repository)`, { variable: 'REGOPS_REPOSITORY' });
  return { owner, repo };
}

/** Builds a value on first use and keeps it for the container's life (clients are built once). */
export function once<T>(build: () => T): () => T {
  let value: { built: T } | undefined;
  return () => {
    value ??= { built: build() };
    return value.built;
  };
}
