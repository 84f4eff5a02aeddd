/**
 * The pruner's effect per cluster (issue 13.6): `--prune-registry` follows images.config
 * status.internalRegistryHostname (docs/registry-operator-facts.md §7), which empties when the registry goes
 * Removed and stays as it is with Unmanaged; the state after apply is Git's where Git sets it.
 */
import { describe, expect, it } from 'vitest';
import { describePrunerEffect, PRUNER_REGISTRY_REMOVED } from '../../../functions/core/describe-pruner-effect.ts';
import type { DesiredCluster, JsonObject } from '../../../functions/core/model.ts';
import { describePrunerLine } from '../../../functions/core/report/describe-pruner-line.ts';

const hostname = 'image-registry.openshift-image-registry.svc:5000';
const api = 'imageregistry.operator.openshift.io/v1';

interface Case {
  name: string;
  /** Git's spec per kind (absent: Git renders no such object). */
  git: { config?: JsonObject; pruner?: JsonObject };
  live: { hostname?: string; config?: JsonObject; pruner?: JsonObject | 'absent' };
  prunes: boolean;
  reason: RegExp;
}

function desired(git: Case['git']): DesiredCluster {
  const objects: DesiredCluster['objects'] = [];
  for (const [kind, spec] of [['Config', git.config], ['ImagePruner', git.pruner]] as const) {
    if (spec !== undefined) objects.push({ ref: { apiVersion: api, kind, name: 'cluster' }, body: { apiVersion: api, kind, metadata: { name: 'cluster' }, spec }, positions: {} });
  }
  return { cluster: 'c1', labels: {}, groups: [], policy: 'inform', objects, secrets: [], allow: [] };
}

const cases: Case[] = [
  { name: 'Managed and the hostname set', git: { config: { managementState: 'Managed' }, pruner: { suspend: false } }, live: { hostname, config: { managementState: 'Managed' } }, prunes: true, reason: /internalRegistryHostname is image-registry\.openshift-image-registry\.svc:5000/ },
  { name: 'Removed live and in Git', git: { config: { managementState: 'Removed' }, pruner: {} }, live: { hostname: '', config: { managementState: 'Removed' } }, prunes: false, reason: /internalRegistryHostname is empty \(registry Removed\)/ },
  { name: 'Managed now, Git sets Removed', git: { config: { managementState: 'Removed' } }, live: { hostname, config: { managementState: 'Managed' } }, prunes: false, reason: /empties once this plan sets the registry Removed/ },
  { name: 'Removed now, Git sets Managed (lab-bm-1)', git: { config: { managementState: 'Managed' } }, live: { hostname: '', config: { managementState: 'Removed' } }, prunes: true, reason: /empty now; the operator sets it once the Managed registry's Service exists/ },
  { name: 'Unmanaged keeps the hostname', git: { config: { managementState: 'Unmanaged' } }, live: { hostname, config: { managementState: 'Managed' } }, prunes: true, reason: /is image-registry/ },
  { name: 'Unmanaged after Removed stays empty', git: { config: { managementState: 'Unmanaged' } }, live: { hostname: '', config: { managementState: 'Removed' } }, prunes: false, reason: /stays empty while the registry is Unmanaged/ },
  { name: 'Git leaves managementState to the live Removed', git: { pruner: { keepTagRevisions: 3 } }, live: { hostname: '', config: { managementState: 'Removed' } }, prunes: false, reason: /registry Removed/ },
  { name: 'Git suspends the pruner', git: { config: { managementState: 'Managed' }, pruner: { suspend: true } }, live: { hostname }, prunes: false, reason: /suspended \(spec\.suspend: true\)/ },
  { name: 'live suspended, Git silent', git: {}, live: { hostname, pruner: { suspend: true } }, prunes: false, reason: /suspended/ },
  { name: 'Git resumes a suspended pruner', git: { pruner: { suspend: false } }, live: { hostname, pruner: { suspend: true } }, prunes: true, reason: /is image-registry/ },
  { name: 'no pruner anywhere', git: { config: { managementState: 'Managed' } }, live: { hostname, pruner: 'absent' }, prunes: false, reason: /no ImagePruner/ },
];

describe('describePrunerEffect', () => {
  it.each(cases)('$name', (c) => {
    const image: JsonObject = c.live.hostname === undefined ? { spec: {} } : { spec: {}, status: { internalRegistryHostname: c.live.hostname } };
    const pruner = c.live.pruner === 'absent' ? undefined : { spec: c.live.pruner ?? { suspend: false } };
    const effect = describePrunerEffect(desired(c.git), { image, config: c.live.config === undefined ? undefined : { spec: c.live.config }, pruner });
    expect(effect.prunesRegistry).toBe(c.prunes);
    expect(effect.reason).toMatch(c.reason);
  });

  const warningCases: Array<{ name: string; git: Case['git']; live: Case['live']; warning: string | undefined }> = [
    {
      name: 'Git schedules the pruner, the registry Removed in Git',
      git: { config: { managementState: 'Removed' }, pruner: { schedule: '0 3 * * *' } }, live: { hostname: '', config: { managementState: 'Removed' } },
      warning: `${PRUNER_REGISTRY_REMOVED.message}; ${PRUNER_REGISTRY_REMOVED.hint}`,
    },
    {
      name: 'Git renders the pruner without a schedule, the registry Removed live and left to it',
      git: { pruner: { keepTagRevisions: 3 } }, live: { hostname: '', config: { managementState: 'Removed' } },
      warning: `${PRUNER_REGISTRY_REMOVED.message}; ${PRUNER_REGISTRY_REMOVED.hint}`,
    },
    { name: 'Git suspends the pruner of a Removed registry', git: { config: { managementState: 'Removed' }, pruner: { suspend: true } }, live: { hostname: '' }, warning: undefined },
    { name: 'Git renders no pruner (the operator\'s own runs)', git: { config: { managementState: 'Removed' } }, live: { hostname: '', config: { managementState: 'Removed' } }, warning: undefined },
    { name: 'Git schedules the pruner of a Managed registry', git: { config: { managementState: 'Managed' }, pruner: { schedule: '0 3 * * *' } }, live: { hostname }, warning: undefined },
  ];

  it.each(warningCases)('warns only when Git schedules a pruner whose registry is Removed: $name', (c) => {
    const image: JsonObject = { spec: {}, status: { internalRegistryHostname: c.live.hostname ?? '' } };
    const effect = describePrunerEffect(desired(c.git), { image, config: c.live.config === undefined ? undefined : { spec: c.live.config }, pruner: { spec: {} } });
    expect(effect.warning).toBe(c.warning);
  });

  it('prints one line either way', () => {
    expect(describePrunerLine({ prunesRegistry: false, reason: 'r', warning: 'w' })).toBe('pruner will not prune the registry: r; WARNING: w');
    expect(describePrunerLine({ prunesRegistry: true, reason: 'r' })).toBe('pruner: prunes the registry (r)');
    expect(describePrunerLine({ prunesRegistry: false, reason: 'r' })).toBe('pruner will not prune the registry: r');
  });
});
