/**
 * CloudWatch Embedded Metric Format through Powertools for AWS Lambda (TypeScript) Metrics: a log
 * line whose `_aws.CloudWatchMetrics` block tells CloudWatch Logs to extract metrics from its keys
 * (no API call, no agent: Lambda ships the line). Powertools builds and validates the document
 * (units, dimension and metric limits, key collisions); the line goes through `write`, redacted as
 * every log line is (json-logger.ts redactedLines), so tests can read it.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { redactedLines } from './json-logger.ts';

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

/** The `service` dimension Powertools puts on every metric. */
export const metricsServiceName = 'regops';

export interface EmfOptions {
  namespace: string;
  /** Dimensions besides `service`, e.g. {Function: 'drift-scan'}; keep them few (each combination is a metric). */
  dimensions: Record<string, string>;
  /** Extra keys on the line (commit, cluster): searchable, not dimensions (EMF metadata). */
  properties?: Record<string, string | number | boolean>;
  write?: (line: string) => void;
  now?: () => Date;
}

function collect(metrics: readonly Metric[], options: Omit<EmfOptions, 'write'>): Metrics {
  const collector = new Metrics({ namespace: options.namespace, serviceName: metricsServiceName, defaultDimensions: options.dimensions });
  for (const metric of metrics) collector.addMetric(metric.name, metric.unit, metric.value);
  for (const [key, value] of Object.entries(options.properties ?? {})) collector.addMetadata(key, String(value));
  if (options.now !== undefined) collector.setTimestamp(options.now());
  return collector;
}

/** One EMF document, as Powertools serializes it (exported for tests). */
export function buildEmfDocument(metrics: readonly Metric[], options: Omit<EmfOptions, 'write'>): Record<string, unknown> {
  return collect(metrics, options).serializeMetrics() as unknown as Record<string, unknown>;
}

/** Writes the metrics as one EMF line (stdout by default); nothing for no metrics. */
export function emitMetrics(metrics: readonly Metric[], options: EmfOptions): void {
  if (metrics.length === 0) return;
  const collector = collect(metrics, options);
  redactedLines(options.write)(JSON.stringify(collector.serializeMetrics()));
  collector.clearMetrics();
}
