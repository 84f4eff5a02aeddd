/** The JSON logger (commit and cluster on every line) and CloudWatch EMF documents. */
import { describe, expect, it } from 'vitest';
import { buildEmfDocument, emitMetrics, regopsMetricNames } from '../../../../functions/adapters/observability/emf-metrics.ts';
import { createJsonLogger } from '../../../../functions/adapters/observability/json-logger.ts';
import { RegopsError } from '../../../../functions/core/errors.ts';

const now = () => new Date('2026-11-25T10:00:00.000Z');

describe('json logger', () => {
  it('writes one JSON object per line with time, level, service, message, commit and cluster', () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ service: 'regops-test', write: (l) => lines.push(l), now }, { commit: 'abc123' });
    logger.info('started');
    logger.child({ cluster: 'prod-eu-1' }).warn('slow', { ms: 1200 });
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { time: '2026-11-25T10:00:00.000Z', level: 'info', service: 'regops-test', message: 'started', commit: 'abc123', cluster: null },
      { time: '2026-11-25T10:00:00.000Z', level: 'warn', service: 'regops-test', message: 'slow', commit: 'abc123', cluster: 'prod-eu-1', ms: 1200 },
    ]);
  });

  it.each([
    { level: 'debug' as const, written: ['debug', 'info', 'warn', 'error'] },
    { level: 'info' as const, written: ['info', 'warn', 'error'] },
    { level: 'error' as const, written: ['error'] },
  ])('level $level drops lower levels', ({ level, written }) => {
    const lines: string[] = [];
    const logger = createJsonLogger({ service: 's', level, write: (l) => lines.push(l), now });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(lines.map((l) => (JSON.parse(l) as { level: string }).level)).toEqual(written);
  });

  it('logs an error as name, code and message', () => {
    const lines: string[] = [];
    createJsonLogger({ service: 's', write: (l) => lines.push(l), now }).error('failed', { error: new RegopsError('cluster.conflict', 'cluster a: configs/cluster: patch rejected (Conflict)') });
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ error: { name: 'RegopsError', code: 'cluster.conflict', message: 'cluster a: configs/cluster: patch rejected (Conflict)' } });
  });
});

describe('EMF metrics', () => {
  it('builds a document CloudWatch extracts: _aws metadata, dimensions and values at the top level', () => {
    const document = buildEmfDocument([
      { name: regopsMetricNames.driftedClusters, value: 3, unit: 'Count' },
      { name: regopsMetricNames.scanDuration, value: 5400, unit: 'Milliseconds' },
    ], { namespace: 'Regops', dimensions: { Function: 'drift-scan' }, properties: { commit: 'abc' }, now });
    expect(document).toEqual({
      _aws: { Timestamp: Date.parse('2026-11-25T10:00:00.000Z'), CloudWatchMetrics: [{ Namespace: 'Regops', Dimensions: [['Function']], Metrics: [{ Name: 'DriftedClusters', Unit: 'Count' }, { Name: 'DriftScanDuration', Unit: 'Milliseconds' }] }] },
      Function: 'drift-scan',
      commit: 'abc',
      DriftedClusters: 3,
      DriftScanDuration: 5400,
    });
  });

  it('writes nothing for no metrics and one line otherwise', () => {
    const lines: string[] = [];
    emitMetrics([], { namespace: 'Regops', dimensions: {}, write: (l) => lines.push(l) });
    emitMetrics([{ name: 'ApplyFailures', value: 1, unit: 'Count' }], { namespace: 'Regops', dimensions: { Function: 'x' }, write: (l) => lines.push(l) });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ ApplyFailures: 1, Function: 'x' });
  });
});
