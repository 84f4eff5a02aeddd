/**
 * CloudWatch Embedded Metric Format: a log line whose `_aws.CloudWatchMetrics` block tells
 * CloudWatch Logs to extract metrics from its keys (EMF specification, "Embedded metric format
 * specification" in the CloudWatch user guide). No API call and no agent: Lambda ships the line.
 */
export type MetricUnit = 'Count' | 'Milliseconds' | 'Seconds' | 'None';

export interface Metric {
  name: string;
  value: number;
  unit: MetricUnit;
}

/** The metrics regops emits (issue 6): drifted clusters, drifted fields, scan duration, apply failures. */
export const regopsMetricNames = {
  driftedClusters: 'DriftedClusters',
  driftedFields: 'DriftedFields',
  scanDuration: 'DriftScanDuration',
  applyFailures: 'ApplyFailures',
  appliedClusters: 'AppliedClusters',
  unreachableClusters: 'UnreachableClusters',
} as const;

export interface EmfOptions {
  namespace: string;
  /** Dimension set, e.g. {Service: 'regops'}; keep it small (each combination is a metric). */
  dimensions: Record<string, string>;
  /** Extra keys on the line (commit, cluster): searchable, not dimensions. */
  properties?: Record<string, string | number | boolean>;
  write?: (line: string) => void;
  now?: () => Date;
}

/** Builds one EMF document (exported for tests). */
export function buildEmfDocument(metrics: readonly Metric[], options: Omit<EmfOptions, 'write'>): Record<string, unknown> {
  const document: Record<string, unknown> = {
    _aws: {
      Timestamp: (options.now ?? (() => new Date()))().getTime(),
      CloudWatchMetrics: [{
        Namespace: options.namespace,
        Dimensions: [Object.keys(options.dimensions)],
        Metrics: metrics.map((metric) => ({ Name: metric.name, Unit: metric.unit })),
      }],
    },
    ...options.properties,
    ...options.dimensions,
  };
  for (const metric of metrics) document[metric.name] = metric.value;
  return document;
}

/** Writes the metrics as one EMF line on stdout. */
export function emitMetrics(metrics: readonly Metric[], options: EmfOptions): void {
  if (metrics.length === 0) return;
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  write(JSON.stringify(buildEmfDocument(metrics, options)));
}
