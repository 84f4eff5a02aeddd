import { vendoredCrds } from '../schemas/crds.ts';
import { isJsonMap, type JsonMap, type JsonValue } from './json-value.ts';
import type { StoredObject } from './object-store.ts';
import type { ResourceInfo } from './resource-catalog.ts';

interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
  cell: (object: JsonMap, now: number) => JsonValue;
}

/** True when the Accept header asks for a meta.k8s.io/v1 Table (what `kubectl get` without -o asks). */
export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes('as=Table') && accept.includes('g=meta.k8s.io') && /v=v1(?!beta)/.test(accept);
}

function readPath(object: JsonValue | undefined, segments: string[]): JsonValue | undefined {
  let node = object;
  for (const segment of segments) {
    if (!isJsonMap(node)) return undefined;
    node = node[segment];
  }
  return node;
}

// The JSONPath subset CRD printer columns use: `.a.b`, `.list[N].x`, `.list[?(@.k=="v")].x`.
function compileJsonPath(path: string): (object: JsonMap) => JsonValue | undefined {
  const steps = path.replace(/^\./, '').match(/[^.[\]]+|\[[^\]]*\]/g) ?? [];
  return (object) => {
    let node: JsonValue | undefined = object;
    for (const step of steps) {
      if (node === undefined) return undefined;
      if (step.startsWith('[?(')) {
        const filter = /^\[\?\(@\.([\w-]+)==["']([^"']*)["']\)\]$/.exec(step);
        if (filter === null || !Array.isArray(node)) return undefined;
        const [, key = '', value] = filter;
        node = node.find((item) => isJsonMap(item) && item[key] === value);
      } else if (step.startsWith('[')) {
        node = Array.isArray(node) ? node[Number(step.slice(1, -1))] : undefined;
      } else {
        node = isJsonMap(node) ? node[step] : undefined;
      }
    }
    return node;
  };
}

// Ages as the apiserver renders table cells (k8s.io/apimachinery/pkg/util/duration HumanDuration).
export function renderAge(timestamp: JsonValue | undefined, now: number): string {
  if (typeof timestamp !== 'string') return '<unknown>';
  const seconds = Math.floor((now - Date.parse(timestamp)) / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

const nameColumn: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0, cell: (object) => readPath(object, ['metadata', 'name']) ?? '' };
const customAge: Column = { name: 'Age', type: 'date', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0, cell: (object, now) => renderAge(readPath(object, ['metadata', 'creationTimestamp']), now) };
const coreAge: Column = { ...customAge, type: 'string' };
const countData = (object: JsonMap): number => Object.keys(isJsonMap(object['data']) ? object['data'] : {}).length + Object.keys(isJsonMap(object['binaryData']) ? object['binaryData'] : {}).length;

// Built-in kinds' columns as the apiserver prints them (pkg/printers/internalversion/printers.go).
const coreColumns: Record<string, Column[]> = {
  namespaces: [nameColumn, { name: 'Status', type: 'string', format: '', description: 'The status of the namespace', priority: 0, cell: (object) => readPath(object, ['status', 'phase']) ?? '' }, coreAge],
  secrets: [nameColumn, { name: 'Type', type: 'string', format: '', description: 'The type of the secret', priority: 0, cell: (object) => object['type'] ?? '' }, { name: 'Data', type: 'string', format: '', description: 'The number of entries in data', priority: 0, cell: countData }, coreAge],
  configmaps: [nameColumn, { name: 'Data', type: 'string', format: '', description: 'The number of entries in data', priority: 0, cell: countData }, coreAge],
};

interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
  format?: string;
}

function customColumns(info: ResourceInfo): Column[] {
  const crd = vendoredCrds.map((entry) => entry.crd as { spec: { group: string; names: { plural: string }; versions: Array<{ name: string; additionalPrinterColumns?: PrinterColumn[] }> } }).find(
    (candidate) => candidate.spec.group === info.group && candidate.spec.names.plural === info.plural,
  );
  const printer = crd?.spec.versions.find((version) => version.name === info.version)?.additionalPrinterColumns ?? [];
  // a CRD without printer columns gets an Age column (apiextensions-apiserver tableconvertor)
  if (printer.length === 0) return [nameColumn, customAge];
  return [
    nameColumn,
    ...printer.map((column) => {
      const read = compileJsonPath(column.jsonPath);
      // date columns are rendered as ages by the server (apiextensions-apiserver tableconvertor)
      const cell = column.type === 'date' ? (object: JsonMap, now: number) => renderAge(read(object), now) : (object: JsonMap) => read(object) ?? null;
      return { name: column.name, type: column.type, format: column.format ?? '', description: column.description ?? '', priority: column.priority ?? 0, cell };
    }),
  ];
}

const columnCache = new Map<ResourceInfo, Column[]>();

/** A meta.k8s.io/v1 Table of `items` with the resource's columns; rows carry PartialObjectMetadata. */
export function renderTable(info: ResourceInfo, items: StoredObject[], resourceVersion: string, now: number): string {
  let columns = columnCache.get(info);
  if (columns === undefined) {
    columns = info.custom ? customColumns(info) : (coreColumns[info.plural] ?? [nameColumn, coreAge]);
    columnCache.set(info, columns);
  }
  const resolved = columns;
  return JSON.stringify({
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: resolved.map(({ name, type, format, description, priority }) => ({ name, type, format, description, priority })),
    rows: items.map((stored) => ({
      cells: resolved.map((column) => column.cell(stored.object, now)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: isJsonMap(stored.object['metadata']) ? stored.object['metadata'] : {} },
    })),
  });
}
