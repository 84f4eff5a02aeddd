/** The ports every engine function takes as its first argument (functions/adapters/ports.ts). */
import type { BucketStore, Clock, ClusterConnector, ConfigSource, ProgressSink, ReportStore, SecretSource } from '../adapters/ports.ts';

export interface EnginePorts {
  config: ConfigSource;
  connector: ClusterConnector;
  secrets: SecretSource;
  buckets: BucketStore;
  clock: Clock;
  progress?: ProgressSink;
  /** Where reports are published, when the caller wants them kept. */
  reports?: ReportStore;
}

/** The ports one cluster's reconcile needs. */
export type ClusterPorts = Pick<EnginePorts, 'connector' | 'secrets' | 'buckets' | 'clock' | 'progress'>;
