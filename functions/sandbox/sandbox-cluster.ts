import { createHash, randomBytes } from 'node:crypto';
import type { FaultSettings } from './fault-control.ts';
import { ObjectStore } from './object-store.ts';

/** What a cluster is: its name and the platform facts the bootstrap reads. */
export interface ClusterSpec {
  name: string;
  platform: string; // aws | baremetal | vsphere | …
  region: string;
}

export type Access = 'admin' | 'readonly';

/** One emulated cluster: its objects, credentials, faults and counters. */
export class SandboxCluster {
  readonly store: ObjectStore;
  readonly tokens: Record<Access, string>;
  readonly stats = { reads: 0, writes: 0 };
  faults: FaultSettings = {};
  readonly infrastructureName: string;

  constructor(readonly spec: ClusterSpec, now: () => number) {
    this.store = new ObjectStore(now);
    this.tokens = {
      admin: `sha256~admin-${randomBytes(16).toString('hex')}`,
      readonly: `sha256~readonly-${randomBytes(16).toString('hex')}`,
    };
    // installer-style infrastructure name <cluster>-<5 chars>; derived from the name so bucket names are stable across runs
    const suffix = createHash('sha256').update(spec.name).digest('hex').slice(0, 5);
    this.infrastructureName = `${spec.name.slice(0, 21).replace(/-+$/, '')}-${suffix}`;
  }
}
