import type {
  ChangeWindow, ClusterEntry, Diagnostic, Fleet, GroupEntry, Json, JsonObject, LabelSelector, Policy, PolicyEntry, SourcePosition, WaveEntry,
} from './model.ts';
import type { ParsedYaml } from './yaml-source.ts';
import { appendPath } from './append-path.ts';
import { createDiagnostic } from './create-diagnostic.ts';
import { findPosition } from './find-position.ts';
import { parseGoDuration } from './go-duration.ts';
import { checkWindowSchedule } from './change-windows.ts';
import { formatSuggestion } from './suggest-name.ts';
import { isJsonObject } from './is-json-object.ts';

/** fleet.yaml as the model's Fleet, plus its diagnostics and field positions. */
export interface ParsedFleet {
  fleet: Fleet;
  diagnostics: Diagnostic[];
  positions: Record<string, SourcePosition>;
}

// cluster names become kubeconfig contexts, directory names, secret ids and bucket-name parts
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const policies: readonly Policy[] = ['inform', 'enforce'];

class FleetReader {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly source: ParsedYaml) {}

  at(path: string): SourcePosition {
    return findPosition(this.source.positions, path) ?? { file: this.source.file, line: 1, col: 1 };
  }

  report(code: string, severity: 'error' | 'warning', path: string, message: string, hint: string): void {
    this.diagnostics.push(createDiagnostic(code, severity, this.at(path), message, hint, { path }));
  }

  object(value: Json | undefined, path: string, allowed: readonly string[]): JsonObject | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.report('fleet.type', 'error', path, `${path || 'fleet.yaml'}: expected a map`, 'write a YAML map (key: value) here');
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (allowed.includes(key)) continue;
      const childPath = appendPath(path, key);
      this.report('fleet.unknown-field', 'error', childPath, `${childPath}: unknown field${formatSuggestion(key, allowed)}`,
        `fleet.yaml fields here are: ${allowed.join(', ')} (see config/README.md)`);
    }
    return value;
  }

  list(value: Json | undefined, path: string): Json[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.report('fleet.type', 'error', path, `${path}: expected a list`, 'write a YAML list (`- item` lines) here');
      return [];
    }
    return value;
  }

  string(value: Json | undefined, path: string, required: boolean): string | undefined {
    if (value === undefined || value === null) {
      if (required) this.report('fleet.required', 'error', path, `${path}: required`, `set ${path}`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.report('fleet.type', 'error', path, `${path}: expected a string, got ${JSON.stringify(value)}`, 'quote the value');
      return undefined;
    }
    return value;
  }

  integer(value: Json | undefined, path: string, fallback: number, minimum: number, code: string): number {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
      this.report(code, 'error', path, `${path}: must be an integer >= ${minimum}, got ${JSON.stringify(value)}`,
        `set ${path} to a whole number of at least ${minimum}`);
      return fallback;
    }
    return value;
  }

  labels(value: Json | undefined, path: string): Record<string, string> {
    const out: Record<string, string> = {};
    const map = this.object(value, path, Object.keys(isJsonObject(value) ? value : {}));
    if (map === undefined) return out;
    for (const [key, item] of Object.entries(map)) {
      if (typeof item === 'string') out[key] = item;
      else if (typeof item === 'number' || typeof item === 'boolean') out[key] = String(item);
      else this.report('fleet.type', 'error', appendPath(path, key), `${appendPath(path, key)}: a label value must be a string`, 'quote the value');
    }
    return out;
  }
}

/** True when every key of the selector has the same value in labels (an empty selector matches all). */
export function matchesSelector(labels: Readonly<Record<string, string>>, selector: LabelSelector): boolean {
  for (const key in selector) if (labels[key] !== selector[key]) return false;
  return true;
}

/** Names of the groups whose selector matches the cluster, in fleet order (the overlay order). */
export function groupsFor(fleet: Fleet, cluster: ClusterEntry): string[] {
  return fleet.groups.filter((group) => matchesSelector(cluster.labels, group.selector)).map((group) => group.name);
}

/**
 * The cluster's policy: an override naming the cluster, else the override of the last of its groups
 * (fleet order) that has one, else the default.
 */
export function resolvePolicy(fleet: Fleet, cluster: ClusterEntry): Policy {
  const byCluster = fleet.policies.find((entry) => entry.cluster === cluster.name);
  if (byCluster !== undefined) return byCluster.policy;
  let policy = fleet.defaultPolicy;
  for (const group of groupsFor(fleet, cluster)) {
    const byGroup = fleet.policies.find((entry) => entry.group === group);
    if (byGroup !== undefined) policy = byGroup.policy;
  }
  return policy;
}

function readClusters(reader: FleetReader, value: Json | undefined): ClusterEntry[] {
  const clusters: ClusterEntry[] = [];
  const seen = new Map<string, string>();
  reader.list(value, 'spec.clusters').forEach((item, index) => {
    const path = `spec.clusters[${index}]`;
    const map = reader.object(item, path, ['name', 'labels', 'connection']);
    if (map === undefined) return;
    const name = reader.string(map['name'], `${path}.name`, true);
    if (name === undefined) return;
    if (!dnsLabel.test(name) || name.length > 63) {
      reader.report('fleet.cluster-name', 'error', `${path}.name`, `cluster name "${name}" is not a DNS label`,
        'use lower-case letters, digits and "-", at most 63 characters (it names directories, contexts and secrets)');
    }
    const first = seen.get(name);
    if (first !== undefined) {
      reader.report('fleet.duplicate-cluster', 'error', `${path}.name`, `cluster "${name}" is listed twice (first at ${first})`,
        'give every cluster a unique name, or remove the duplicate entry');
      return;
    }
    const at = reader.at(`${path}.name`);
    seen.set(name, `line ${at.line}`);
    const connectionMap = reader.object(map['connection'], `${path}.connection`, ['context', 'secretId']);
    const context = reader.string(connectionMap?.['context'], `${path}.connection.context`, false);
    const secretId = reader.string(connectionMap?.['secretId'], `${path}.connection.secretId`, false);
    clusters.push({
      name,
      labels: reader.labels(map['labels'], `${path}.labels`),
      connection: { context: context ?? name, ...(secretId === undefined ? {} : { secretId }) },
    });
  });
  return clusters;
}

function readNamedSelectors(reader: FleetReader, value: Json | undefined, listPath: string, extra: readonly string[]) {
  const out: Array<{ name: string; selector: LabelSelector; map: JsonObject; path: string }> = [];
  const seen = new Set<string>();
  reader.list(value, listPath).forEach((item, index) => {
    const path = `${listPath}[${index}]`;
    const map = reader.object(item, path, ['name', 'selector', ...extra]);
    if (map === undefined) return;
    const name = reader.string(map['name'], `${path}.name`, true);
    if (name === undefined) return;
    if (seen.has(name)) {
      reader.report('fleet.duplicate-name', 'error', `${path}.name`, `${listPath}: "${name}" is listed twice`, 'give each entry a unique name');
      return;
    }
    seen.add(name);
    out.push({ name, selector: reader.labels(map['selector'], `${path}.selector`), map, path });
  });
  return out;
}

function readWaves(reader: FleetReader, value: Json | undefined): WaveEntry[] {
  return readNamedSelectors(reader, value, 'spec.waves', ['maxConcurrency', 'maxFailures', 'bakeTime', 'rollback', 'approval', 'approvalTimeout', 'approvers']).map(({ name, selector, map, path }) => {
    let bakeSeconds = 0;
    const bake = map['bakeTime'];
    if (bake !== undefined && bake !== null) {
      const parsed = typeof bake === 'string' ? parseGoDuration(bake) : undefined;
      if (parsed === undefined) {
        reader.report('fleet.duration', 'error', `${path}.bakeTime`, `${path}.bakeTime: ${JSON.stringify(bake)} is not a duration`,
          'write a Go-style duration such as 30s, 5m or 1h30m');
      } else if (!Number.isInteger(parsed)) {
        // the rollout state machine bakes in a Step Functions Wait state, whose Seconds must be an integer
        reader.report('fleet.duration', 'error', `${path}.bakeTime`, `${path}.bakeTime: ${JSON.stringify(bake)} is not a whole number of seconds (${parsed} s)`,
          'write whole seconds, such as 2s, 90s or 1m30s: the rollout waits in a Step Functions Wait state, which takes integer seconds');
      } else bakeSeconds = parsed;
    }
    const rollback = reader.string(map['rollback'], `${path}.rollback`, false);
    if (rollback !== undefined && rollback !== 'automatic' && rollback !== 'none') {
      reader.report('fleet.wave-rollback', 'error', `${path}.rollback`, `${path}.rollback: "${rollback}" is not automatic or none`,
        'use rollback: automatic (a failed wave restores the clusters it changed) or none (the default)');
    }
    const approval = reader.string(map['approval'], `${path}.approval`, false);
    if (approval !== undefined && approval !== 'required' && approval !== 'none') {
      reader.report('fleet.wave-approval', 'error', `${path}.approval`, `${path}.approval: "${approval}" is not required or none`,
        'use approval: required (a person approves before the wave starts: regops rollout --approve WAVE) or none (the default)');
    }
    const approvalTimeoutSeconds = readApprovalTimeout(reader, map['approvalTimeout'], `${path}.approvalTimeout`);
    const approvers = readApprovers(reader, map['approvers'], `${path}.approvers`, approval === 'required');
    return {
      name,
      selector,
      ...(approval === 'required' ? { approval } : {}),
      ...(approvers === undefined ? {} : { approvers }),
      ...(approvalTimeoutSeconds === undefined ? {} : { approvalTimeoutSeconds }),
      maxConcurrency: reader.integer(map['maxConcurrency'], `${path}.maxConcurrency`, 1, 1, 'fleet.wave-concurrency'),
      maxFailures: reader.integer(map['maxFailures'], `${path}.maxFailures`, 0, 0, 'fleet.wave-failures'),
      bakeSeconds,
      ...(rollback === 'automatic' || rollback === 'none' ? { rollback } : {}),
    };
  });
}

/** How long a Step Functions rollout waits for a wave's approval when fleet.yaml sets no approvalTimeout. */
export const DEFAULT_APPROVAL_TIMEOUT_SECONDS = 12 * 3600;
/**
 * The longest approvalTimeout: a rollout execution runs at most 24 h (infra/constructs/state-machines.ts
 * rolloutTimeout), and a wait that outlives it ends the execution without a report.
 */
export const MAX_APPROVAL_TIMEOUT_SECONDS = 23 * 3600;

/** A wave's approvalTimeout (Go duration, whole seconds, 1m to 23h); undefined when absent or wrong (reported). */
function readApprovalTimeout(reader: FleetReader, value: Json | undefined, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const seconds = typeof value === 'string' ? parseGoDuration(value) : undefined;
  if (seconds === undefined || !Number.isInteger(seconds) || seconds < 60 || seconds > MAX_APPROVAL_TIMEOUT_SECONDS) {
    reader.report('fleet.approval-timeout', 'error', path, `${path}: ${JSON.stringify(value)} is not a whole-second duration from 1m to 23h`,
      'write a Go-style duration such as 30m, 4h or 12h (default 12h): a Step Functions rollout runs at most 24 h and waits at most this long for the approval');
    return undefined;
  }
  return seconds;
}

/**
 * A wave's approvers: `any` (the default: any writer) or `different-from-pusher` (in AWS, the
 * person who pushed the commit may not approve it, as GitHub environments' "prevent self-review");
 * only meaningful on a wave with `approval: required`. Undefined when absent, `any` or wrong (reported).
 */
function readApprovers(reader: FleetReader, value: Json | undefined, path: string, gated: boolean): 'different-from-pusher' | undefined {
  const approvers = reader.string(value, path, false);
  if (approvers === undefined) return undefined;
  if (approvers !== 'any' && approvers !== 'different-from-pusher') {
    reader.report('fleet.wave-approvers', 'error', path, `${path}: "${approvers}" is not any or different-from-pusher`,
      'use approvers: different-from-pusher (in AWS the person who pushed the commit may not approve the wave) or any (the default)');
    return undefined;
  }
  if (approvers === 'different-from-pusher' && !gated) {
    reader.report('fleet.wave-approvers', 'error', path, `${path}: different-from-pusher needs approval: required on the same wave`,
      'add approval: required to the wave, or remove approvers: nobody approves a wave that needs no approval');
    return undefined;
  }
  return approvers === 'different-from-pusher' ? approvers : undefined;
}

function readPolicy(reader: FleetReader, value: Json | undefined, clusters: ClusterEntry[], groups: GroupEntry[]) {
  const map = reader.object(value, 'spec.policy', ['default', 'overrides']);
  const readOne = (item: Json | undefined, path: string): Policy | undefined => {
    const text = reader.string(item, path, false);
    if (text === undefined) return undefined;
    if ((policies as readonly string[]).includes(text)) return text as Policy;
    reader.report('fleet.policy', 'error', path, `${path}: "${text}" is not a policy${formatSuggestion(text, policies)}`, 'use inform or enforce');
    return undefined;
  };
  const defaultPolicy = readOne(map?.['default'], 'spec.policy.default') ?? 'inform';
  const entries: PolicyEntry[] = [];
  reader.list(map?.['overrides'], 'spec.policy.overrides').forEach((item, index) => {
    const path = `spec.policy.overrides[${index}]`;
    const entry = reader.object(item, path, ['cluster', 'group', 'policy']);
    if (entry === undefined) return;
    const cluster = reader.string(entry['cluster'], `${path}.cluster`, false);
    const group = reader.string(entry['group'], `${path}.group`, false);
    const policy = readOne(entry['policy'], `${path}.policy`);
    if ((cluster === undefined) === (group === undefined)) {
      reader.report('fleet.policy-target', 'error', path, `${path}: name exactly one of cluster or group`, 'write {cluster: NAME, policy: …} or {group: NAME, policy: …}');
      return;
    }
    if (cluster !== undefined && !clusters.some((c) => c.name === cluster)) {
      reader.report('fleet.unknown-reference', 'error', `${path}.cluster`,
        `${path}.cluster: no cluster "${cluster}"${formatSuggestion(cluster, clusters.map((c) => c.name))}`, 'name a cluster listed in spec.clusters');
    }
    if (group !== undefined && !groups.some((g) => g.name === group)) {
      reader.report('fleet.unknown-reference', 'error', `${path}.group`,
        `${path}.group: no group "${group}"${formatSuggestion(group, groups.map((g) => g.name))}`, 'name a group listed in spec.groups');
    }
    if (policy === undefined) {
      if (entry['policy'] === undefined) reader.report('fleet.required', 'error', `${path}.policy`, `${path}.policy: required`, 'set policy: inform or enforce');
      return;
    }
    entries.push({ ...(cluster === undefined ? {} : { cluster }), ...(group === undefined ? {} : { group }), policy });
  });
  return { defaultPolicy, entries };
}

function checkSelectors(reader: FleetReader, fleet: Fleet, waveCount: number): void {
  fleet.groups.forEach((group, index) => {
    if (!fleet.clusters.some((c) => matchesSelector(c.labels, group.selector))) {
      reader.report('fleet.selector-matches-nothing', 'warning', `spec.groups[${index}].selector`,
        `group "${group.name}" matches no cluster`, 'check the selector labels against spec.clusters[].labels');
    }
  });
  fleet.waves.forEach((wave, index) => {
    if (!fleet.clusters.some((c) => matchesSelector(c.labels, wave.selector))) {
      reader.report('fleet.selector-matches-nothing', 'warning', `spec.waves[${index}].selector`,
        `wave "${wave.name}" matches no cluster`, 'check the selector labels against spec.clusters[].labels');
    }
  });
  if (waveCount === 0) return;
  fleet.clusters.forEach((cluster, index) => {
    const waves = fleet.waves.filter((w) => matchesSelector(cluster.labels, w.selector)).map((w) => w.name);
    if (waves.length === 0) {
      reader.report('fleet.cluster-without-wave', 'warning', `spec.clusters[${index}].name`,
        `cluster "${cluster.name}" is in no wave: rollouts skip it`, 'add a label that a wave selector matches');
    } else if (waves.length > 1) {
      reader.report('fleet.cluster-in-many-waves', 'warning', `spec.clusters[${index}].name`,
        `cluster "${cluster.name}" matches waves ${waves.join(', ')}: it rolls out in the first, ${waves[0] ?? ''}`,
        'make the wave selectors disjoint');
    }
  });
}

/** `spec.pullRequests.forks`: `ignore` (default: a fork's PR is not planned) or `plan` (planned without secrets or buckets). */
function readForkPolicy(reader: FleetReader, value: Json | undefined): 'ignore' | 'plan' | undefined {
  const map = reader.object(value, 'spec.pullRequests', ['forks']);
  const forks = reader.string(map?.['forks'], 'spec.pullRequests.forks', false);
  if (forks === undefined || forks === 'ignore' || forks === 'plan') return forks;
  reader.report('fleet.pull-requests', 'error', 'spec.pullRequests.forks', `spec.pullRequests.forks: "${forks}" is not ignore or plan${formatSuggestion(forks, ['ignore', 'plan'])}`,
    'write ignore (PRs from forks are not planned) or plan (planned without secret resolution or bucket inspection)');
  return undefined;
}

// a host name or `*.` + a domain (RFC 1123 labels), optionally with :port
const endpointHost = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:\d{1,5})?$/;

/** `spec.storage.s3EndpointHosts`: the hosts storage.yaml `s3.endpoint` may name. */
function readEndpointHosts(reader: FleetReader, value: Json | undefined): string[] | undefined {
  const map = reader.object(value, 'spec.storage', ['s3EndpointHosts']);
  if (map?.['s3EndpointHosts'] === undefined || map['s3EndpointHosts'] === null) return undefined;
  const hosts: string[] = [];
  reader.list(map['s3EndpointHosts'], 'spec.storage.s3EndpointHosts').forEach((item, index) => {
    const path = `spec.storage.s3EndpointHosts[${index}]`;
    const host = reader.string(item, path, true);
    if (host === undefined) return;
    if (endpointHost.test(host.toLowerCase())) hosts.push(host.toLowerCase());
    else reader.report('fleet.endpoint-host', 'error', path, `${path}: "${host}" is not a host name`, 'write a host (minio.example.com), a host:port, or *.example.com; no scheme, no path');
  });
  return hosts;
}

const cronMacro = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/;

/** `spec.windows[]`: allow/deny change windows (change-windows.ts), each naming only waves, groups and clusters that exist. */
function readWindows(reader: FleetReader, value: Json | undefined, fleet: Fleet): ChangeWindow[] {
  const out: ChangeWindow[] = [];
  const known = { waves: fleet.waves.map((w) => w.name), groups: fleet.groups.map((g) => g.name), clusters: fleet.clusters.map((c) => c.name) };
  reader.list(value, 'spec.windows').forEach((item, index) => {
    const path = `spec.windows[${index}]`;
    const map = reader.object(item, path, ['kind', 'schedule', 'duration', 'timeZone', 'waves', 'groups', 'clusters']);
    if (map === undefined) return;
    const kind = reader.string(map['kind'], `${path}.kind`, true);
    const schedule = reader.string(map['schedule'], `${path}.schedule`, true);
    const durationText = reader.string(map['duration'], `${path}.duration`, true);
    const timeZone = reader.string(map['timeZone'], `${path}.timeZone`, false) ?? 'UTC';
    let ok = kind !== undefined && schedule !== undefined && durationText !== undefined;
    if (kind !== undefined && kind !== 'allow' && kind !== 'deny') {
      reader.report('fleet.window', 'error', `${path}.kind`, `${path}.kind: "${kind}" is not allow or deny`, 'write allow (changes only inside the window) or deny (no changes inside it)');
      ok = false;
    }
    if (schedule !== undefined) {
      const fields = schedule.trim().split(/\s+/).length;
      const problem = !cronMacro.test(schedule.trim()) && fields !== 5 ? `${fields} fields` : checkWindowSchedule(schedule, timeZone);
      if (problem !== undefined) {
        reader.report('fleet.window', 'error', `${path}.schedule`, `${path}: schedule "${schedule}" in ${timeZone} is not usable: ${problem}`,
          'write five cron fields (minute hour day-of-month month day-of-week), e.g. "0 22 * * 1-5", or a macro like @daily, and an IANA timeZone such as Europe/Berlin');
        ok = false;
      }
    }
    const durationMs = durationText === undefined ? undefined : (parseGoDuration(durationText) ?? 0) * 1000;
    if (durationText !== undefined && (durationMs === undefined || durationMs <= 0)) {
      reader.report('fleet.window', 'error', `${path}.duration`, `${path}.duration: ${JSON.stringify(durationText)} is not a positive duration`, 'write a Go duration such as 4h or 90m');
      ok = false;
    }
    const names = (field: 'waves' | 'groups' | 'clusters'): string[] => {
      const list = reader.list(map[field], `${path}.${field}`).filter((n): n is string => typeof n === 'string');
      for (const name of list) {
        if (known[field].includes(name)) continue;
        reader.report('fleet.window', 'error', `${path}.${field}`, `${path}.${field}: "${name}" is not in spec.${field}${formatSuggestion(name, known[field])}`, `name ${field} fleet.yaml declares`);
        ok = false;
      }
      return list;
    };
    const waves = names('waves');
    const groups = names('groups');
    const clusters = names('clusters');
    if (ok && durationMs !== undefined) out.push({ kind: kind as 'allow' | 'deny', schedule: schedule as string, durationMs, timeZone, waves, groups, clusters });
  });
  return out;
}

/**
 * Reads fleet.yaml (kind Fleet, apiVersion regops/v1; format in config/README.md) into the model's
 * Fleet. Problems are diagnostics; the Fleet holds whatever could be read.
 */
export function parseFleet(source: ParsedYaml): ParsedFleet {
  const reader = new FleetReader(source);
  reader.diagnostics.push(...source.diagnostics);
  const root = reader.object(source.value, '', ['apiVersion', 'kind', 'metadata', 'spec']);
  if (root !== undefined) {
    if (root['apiVersion'] !== 'regops/v1') {
      reader.report('fleet.api-version', 'error', 'apiVersion', `fleet.yaml: apiVersion must be regops/v1, got ${JSON.stringify(root['apiVersion'] ?? null)}`, 'set apiVersion: regops/v1');
    }
    if (root['kind'] !== 'Fleet') {
      reader.report('fleet.kind', 'error', 'kind', `fleet.yaml: kind must be Fleet, got ${JSON.stringify(root['kind'] ?? null)}`, 'set kind: Fleet');
    }
    reader.object(root['metadata'], 'metadata', ['name', 'labels', 'annotations']);
  } else if (source.diagnostics.length === 0) {
    reader.report('fleet.empty', 'error', '', 'fleet.yaml is empty', 'describe the fleet: see config/README.md');
  }
  const spec = reader.object(root?.['spec'], 'spec', ['clusters', 'groups', 'waves', 'policy', 'pullRequests', 'storage', 'windows']);
  const clusters = readClusters(reader, spec?.['clusters']);
  const groups = readNamedSelectors(reader, spec?.['groups'], 'spec.groups', []).map(({ name, selector }) => ({ name, selector }));
  const waves = readWaves(reader, spec?.['waves']);
  const policy = readPolicy(reader, spec?.['policy'], clusters, groups);
  const fleet: Fleet = {
    apiVersion: 'regops/v1',
    kind: 'Fleet',
    clusters,
    groups,
    waves,
    policies: policy.entries,
    defaultPolicy: policy.defaultPolicy,
  };
  const forks = readForkPolicy(reader, spec?.['pullRequests']);
  if (forks !== undefined) fleet.pullRequests = { forks };
  const hosts = readEndpointHosts(reader, spec?.['storage']);
  if (hosts !== undefined) fleet.s3EndpointHosts = hosts;
  const windows = readWindows(reader, spec?.['windows'], fleet);
  if (windows.length > 0) fleet.windows = windows;
  checkSelectors(reader, fleet, waves.length);
  return { fleet, diagnostics: reader.diagnostics, positions: source.positions };
}
