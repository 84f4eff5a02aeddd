// Turns the vendored CRD manifests (crds/*.yaml, byte-identical to openshift/api, see crds/SOURCES.md)
// into crds.json, a data module both regops' core and the sandbox import. Run: npx tsx functions/schemas/generate.ts
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const dir = join(here, 'crds');
const crds = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ file: f, crd: parse(readFileSync(join(dir, f), 'utf8')) as unknown }));
writeFileSync(join(here, 'crds.json'), JSON.stringify(crds) + '\n');
console.log(`wrote crds.json from ${crds.length} CRDs`);
