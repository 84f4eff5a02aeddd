/**
 * Each layer file on its own against the CRD schema (issue 10 item 9). Rendering validates what each
 * cluster ends up with, so a bad value in base/ or a group (`rolloutStrategy: Sometimes`) passed as
 * long as every cluster overrode it, and a cluster added tomorrow would get it. Types, enums,
 * patterns, formats and bounds are checked; `required` is not (a layer is a partial object).
 */
import type { ConfigRepository } from './config-repository.ts';
import { createDiagnostic } from './create-diagnostic.ts';
import { findPosition } from './find-position.ts';
import { isJsonObject } from './is-json-object.ts';
import type { Diagnostic, Json, JsonObject, ResourceRef } from './model.ts';
import { RENDERED_REFS } from './render.ts';
import { validateObjectSchema } from './schema-validate.ts';

const REFS_BY_FILE: Readonly<Record<string, ResourceRef>> = {
  'registry.yaml': RENDERED_REFS.config,
  'pruner.yaml': RENDERED_REFS.pruner,
  'image.yaml': RENDERED_REFS.image,
};

/** A layer as a merge patch means it: null is "not owned" and never reaches the object. */
function dropNulls(value: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === null) continue;
    out[key] = isJsonObject(field) ? dropNulls(field) : (field as Json);
  }
  return out;
}

/**
 * Schema findings for every registry.yaml, pruner.yaml and image.yaml under base/, groups/<g>/ and
 * clusters/<c>/, at the file's own FILE:LINE:COL. The message is the one checkClusterSchemas
 * (validate.ts) gives, so a finding that also reaches a rendered cluster is reported once.
 */
export function checkLayerSchemas(repo: ConfigRepository): Diagnostic[] {
  const out: Diagnostic[] = [];
  const layerFile = /^(?:base|groups\/[^/]+|clusters\/[^/]+)\/(registry|pruner|image)\.yaml$/;
  for (const path of [...repo.files.keys()].sort()) {
    if (!path.startsWith(repo.root)) continue;
    const match = layerFile.exec(path.slice(repo.root.length));
    const ref = match === null ? undefined : REFS_BY_FILE[`${match[1] ?? ''}.yaml`];
    if (ref === undefined) continue;
    const parsed = repo.parse(path);
    // syntax errors and non-map documents are reported by the parse and by render
    if (parsed.diagnostics.length > 0 || !isJsonObject(parsed.value)) continue;
    const body = dropNulls(parsed.value);
    // identity is render's to check (render.identity); here the file is read as the kind it feeds
    const metadata = isJsonObject(body['metadata']) ? body['metadata'] : {};
    Object.assign(body, { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { ...metadata, name: ref.name } });
    for (const issue of validateObjectSchema(body, { partial: true })) {
      const at = findPosition(parsed.positions, issue.path) ?? { file: path, line: 1, col: 1 };
      out.push(createDiagnostic(issue.code, 'error', at, `${ref.kind} ${issue.message}`, issue.hint, { path: issue.path }));
    }
  }
  return out;
}
