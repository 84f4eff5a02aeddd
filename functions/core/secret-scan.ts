/**
 * Refuses secret material in the config repository (docs/registry-operator-facts.md §10.11: storage keys and
 * httpSecret never in Git). A line-based scan of every file; a finding names FILE:LINE:COL and shows
 * at most a masked prefix of the value, never the value.
 */
import type { Diagnostic, SourceFile } from './model.ts';
import { createDiagnostic } from './create-diagnostic.ts';

interface SecretPattern {
  code: string;
  what: string;
  /** Global regex; capture group 1 (or the whole match) is the secret value. */
  regex: RegExp;
  hint: string;
}

const moveOut = 'remove it from Git, rotate it (it is in the history now), and keep it in Secrets Manager or SSM; storage.yaml refers to it by name';

const patterns: readonly SecretPattern[] = [
  { code: 'secret.private-key', what: 'a PEM private key', regex: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g, hint: moveOut },
  { code: 'secret.aws-access-key-id', what: 'an AWS access key id', regex: /\b((?:AKIA|ASIA)[A-Z0-9]{16})\b/g, hint: moveOut },
  {
    code: 'secret.aws-secret-key',
    what: 'an AWS secret access key',
    regex: /(?:aws_?secret_?access_?key|secret_?access_?key|secretAccessKey|aws_secret)["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    hint: moveOut,
  },
  { code: 'secret.github-token', what: 'a GitHub token', regex: /\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/g, hint: moveOut },
  {
    code: 'secret.registry-storage-key',
    what: 'a registry storage credential',
    regex: /\bREGISTRY_STORAGE_[A-Z0-9_]*(?:SECRETKEY|ACCESSKEY|PASSWORD|ACCOUNTKEY|IAMAPIKEY|APPLICATIONCREDENTIALSECRET|TOKENID|KEYFILE)["']?\s*[:=]\s*["']?([^\s"'#]+)/g,
    hint: 'the user storage secret is rendered by regops from storage.yaml spec.credentials (a reference); remove the value from Git and rotate it',
  },
  {
    code: 'secret.literal',
    what: 'a literal secret value',
    regex: /^\s*(?:-\s+)?["']?(?:password|passwd|token|apiToken|api_token|apiKey|api_key|secret|secretKey|secret_key|accessToken|access_token|clientSecret|client_secret|bearerToken)["']?\s*:\s*["']?([^\s"'#][^"'#]*?)["']?\s*(?:#.*)?$/gim,
    hint: moveOut,
  },
];

// a cheap prefilter: most files contain none of these words
const prefilter = /PRIVATE KEY|AKIA|ASIA|secret|ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|REGISTRY_STORAGE_|password|passwd|token|api_?key/i;

/** At most the first four characters, then an ellipsis: enough to find it, never enough to use it. */
export function maskSecret(value: string): string {
  return value.length <= 8 ? '…' : `${value.slice(0, 4)}…`;
}

/** Scans one file for secret material; one error per finding, with the masked value at most. */
export function scanForSecrets(file: SourceFile): Diagnostic[] {
  if (!prefilter.test(file.content)) return [];
  const out: Diagnostic[] = [];
  const lines = file.content.split(/\r?\n/);
  let inCertificate = false;
  lines.forEach((line, index) => {
    // certificate bodies are base64 that can contain AKIA-like runs by chance; certificates are public
    if (line.includes('-----BEGIN CERTIFICATE-----')) inCertificate = true;
    if (inCertificate) {
      if (line.includes('-----END CERTIFICATE-----')) inCertificate = false;
      return;
    }
    for (const pattern of patterns) {
      pattern.regex.lastIndex = 0;
      for (let match = pattern.regex.exec(line); match !== null; match = pattern.regex.exec(line)) {
        const value = match[1] ?? match[0];
        if (pattern.code === 'secret.literal' && /^(null|~|""|''|\$\{.*\})$/.test(value)) continue;
        const offset = match[1] === undefined ? match.index : match.index + match[0].indexOf(value);
        const shown = pattern.code === 'secret.private-key' ? '' : ` (${maskSecret(value)})`;
        out.push(createDiagnostic(pattern.code, 'error', { file: file.path, line: index + 1, col: offset + 1 },
          `${pattern.what} is in Git${shown}`, pattern.hint));
        if (match[0] === '') pattern.regex.lastIndex += 1;
      }
    }
  });
  return out;
}
