/**
 * SecretSource over a local file, for teams without AWS and for the demo: a JSON object
 * (`{"regops/x/registry-s3": {"accessKeyId": "…"}, "token": "…"}`) or an env file (`ID=value` lines).
 * `ref.id` names the entry, `ref.key` a key inside an entry that is an object or a JSON string.
 * The file is read on every resolve, so a rotated value is seen at once.
 */
import { readFile } from 'node:fs/promises';
import type { SecretReference } from '../../core/model.ts';
import type { SecretSource, SecretValue } from '../../engine/ports.ts';
import { SecretError } from '../errors.ts';
import { parseJsonObject } from './parse-json-object.ts';
import { createSecretValue } from './secret-value.ts';
import { selectSecretKey } from './select-secret-key.ts';

/** Parses `KEY=value` lines; `#` comments, blank lines, `export ` prefixes and one level of quotes allowed. */
function parseEnvFile(text: string): Record<string, string> {
  const out: Array<[string, string]> = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).replace(/^export\s+/, '').trim();
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    out.push([key, value]);
  }
  // fromEntries defines own properties, so a `__proto__=…` line is an entry, not a prototype change
  return Object.fromEntries(out);
}

export class FileSecretSource implements SecretSource {
  /** `path`: a `.json` file, or any other name for an env file. */
  constructor(private readonly path: string) {}

  async resolve(ref: SecretReference): Promise<SecretValue> {
    const entries = await this.readEntries(ref);
    const entry = Object.hasOwn(entries, ref.id) ? entries[ref.id] : undefined;
    if (entry === undefined) {
      throw new SecretError('secret.not-found', `secret file ${ref.id}: no entry "${ref.id}" in ${this.path}`, { source: ref.source, secretId: ref.id, file: this.path });
    }
    const text = typeof entry === 'string' ? entry : JSON.stringify(entry);
    return createSecretValue(selectSecretKey(text, ref));
  }

  private async readEntries(ref: SecretReference): Promise<Record<string, unknown>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      throw new SecretError('secret.unreachable', `secret file ${ref.id}: cannot read ${this.path}`, { source: ref.source, secretId: ref.id, file: this.path }, { cause: error });
    }
    if (!this.path.endsWith('.json')) return parseEnvFile(text);
    const parsed = parseJsonObject(text);
    if (parsed === undefined) {
      throw new SecretError('secret.invalid', `secret file ${ref.id}: ${this.path} is not a JSON object`, { source: ref.source, secretId: ref.id, file: this.path });
    }
    return parsed;
  }
}
