/** The ports every engine function takes as its first argument (ports.ts, beside it). */
import type { BucketStore, Clock, ClusterConnector, ConfigSource, ProgressSink, ReportStore, SecretSource, StateStore } from './ports.ts';

export interface EnginePorts {
  config: ConfigSource;
  connector: ClusterConnector;
  secrets: SecretSource;
  buckets: BucketStore;
  clock: Clock;
  progress?: ProgressSink;
  /** Where reports are published, when the caller wants them kept. */
  reports?: ReportStore;
  /**
   * The fleet's lease and release record (fleet-lease.ts, release-record.ts). Without it a rollout
   * takes no lease and records no release, and drift enforces the loaded commit (tests of one cluster).
   */
  state?: StateStore;
  /** Who this process is in the fleet lease (`cli:<host>:<pid>`), so a refused run can say who holds it. */
  holder?: string;
  /** Whether a lease holder is known to be gone before its lease expires (the CLI checks its own host's processes). */
  holderGone?: (holder: string) => boolean;
}

/** The ports one cluster's reconcile needs. */
export type ClusterPorts = Pick<EnginePorts, 'connector' | 'secrets' | 'buckets' | 'clock' | 'progress'>;
