/**
 * `-o json` for every report (apiVersion regops/v1): a stable byte-for-byte rendering, so reports
 * diff cleanly and other tools can rely on them. Keys are sorted with `apiVersion`, `kind` and
 * `metadata` first at every level (the order cdk8s and kubectl print objects in); list order is the
 * report's own (clusters in name order, steps in apply order). See README.md for the contract.
 */
import type { Json, JsonObject, Report } from '../model.ts';

const leading = ['apiVersion', 'kind', 'metadata'];

function compareKeys(a: string, b: string): number {
  const ia = leading.indexOf(a);
  const ib = leading.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? leading.length : ia) - (ib < 0 ? leading.length : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A deep copy of a JSON value with object keys in the stable order; undefined members dropped. */
export function orderJson(value: Json): Json {
  if (Array.isArray(value)) return value.map(orderJson);
  if (typeof value !== 'object' || value === null) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort(compareKeys)) {
    const child = value[key];
    if (child !== undefined) out[key] = orderJson(child);
  }
  return out;
}

/** Renders a report as stable, indented JSON ending with a newline. */
export function renderReportJson(report: Report): string {
  return `${JSON.stringify(orderJson(report as unknown as Json), null, 2)}\n`;
}
