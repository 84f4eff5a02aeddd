/** The JSON logger (Powertools Logger: commit and cluster on every line, Lambda context, redaction) and CloudWatch EMF documents (Powertools Metrics). */
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { buildEmfDocument, emitMetrics, regopsMetricNames } from '../../../../functions/adapters/observability/emf-metrics.ts';
import { createJsonLogger } from '../../../../functions/adapters/observability/json-logger.ts';
import { createSecretValue, revealSecretValue } from '../../../../functions/adapters/secrets/secret-value.ts';
import { RegopsError } from '../../../../functions/core/errors.ts';

const now = () => new Date('2026-11-25T10:00:00.000Z');

const isoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

// A Lambda context as the runtime passes it (no Lambda runs here): the fields Powertools reads.
const lambdaContext = (awsRequestId: string): Context => ({
  awsRequestId,
  functionName: 'regops-reconcile-cluster',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:regops-reconcile-cluster',
  memoryLimitInMB: '512',
  logGroupName: '/aws/lambda/regops-reconcile-cluster',
  logStreamName: 'stream',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 60_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

describe('json logger (Powertools Logger)', () => {
  it('writes one JSON object per line with time, level, service, message, commit and cluster', () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ service: 'regops-test', write: (l) => lines.push(l) }, { commit: 'abc123' });
    logger.info('started');
    logger.child({ cluster: 'prod-eu-1' }).warn('slow', { ms: 1200 });
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((l) => l['time'])).toEqual([expect.stringMatching(isoTime), expect.stringMatching(isoTime)]);
    expect(parsed.map(({ time: _time, ...rest }) => rest)).toEqual([
      { level: 'info', service: 'regops-test', message: 'started', commit: 'abc123' },
      { level: 'warn', service: 'regops-test', message: 'slow', commit: 'abc123', cluster: 'prod-eu-1', ms: 1200 },
    ]);
    expect(Object.keys(parsed[1] ?? {})).toEqual(['time', 'level', 'service', 'message', 'commit', 'cluster', 'ms']);
  });

  it('puts the Lambda request id and cold start on every line once the handler gives the context', () => {
    // as Lambda sets it for an on-demand environment; Powertools reports no cold start otherwise
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const lines: string[] = [];
    const logger = createJsonLogger({ service: 'regops-test', write: (l) => lines.push(l) });
    vi.unstubAllEnvs();
    logger.addLambdaContext(lambdaContext('req-1'));
    logger.info('first');
    logger.addLambdaContext(lambdaContext('req-2'));
    logger.child({ cluster: 'a' }).info('second');
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ message: 'first', function_request_id: 'req-1', cold_start: true, function_name: 'regops-reconcile-cluster' }),
      expect.objectContaining({ message: 'second', function_request_id: 'req-2', cold_start: false, cluster: 'a' }),
    ]);
  });

  it("binds one invocation's commit and cluster to every line of the logger and its children until resetKeys", () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ service: 'regops-test', write: (l) => lines.push(l) });
    logger.appendKeys({ commit: 'c0ffee', cluster: 'prod-eu-1' });
    logger.info('bound');
    logger.child({ cluster: 'other' }).info('child overrides the cluster');
    logger.resetKeys();
    logger.info('after');
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ message: 'bound', commit: 'c0ffee', cluster: 'prod-eu-1' }),
      expect.objectContaining({ message: 'child overrides the cluster', commit: 'c0ffee', cluster: 'other' }),
      expect.not.objectContaining({ commit: expect.anything() }),
    ]);
  });

  it('redacts a revealed secret value in messages, fields and errors, in any encoding', () => {
    const value = revealSecretValue(createSecretValue('s3cr3t-registry-key-0123456789'));
    const lines: string[] = [];
    const logger = createJsonLogger({ service: 'regops-test', write: (l) => lines.push(l) });
    logger.info(`token ${value}`, { echoed: Buffer.from(value).toString('base64'), error: new Error(`server said ${encodeURIComponent(value)}`) });
    emitMetrics([{ name: 'ApplyFailures', value: 1, unit: 'Count' }], { namespace: 'Regops', dimensions: { Function: 'x' }, properties: { commit: value }, write: (l) => lines.push(l) });
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toContain('[redacted sha256:');
      for (const form of [value, Buffer.from(value).toString('base64'), value.slice(0, 12)]) expect(line).not.toContain(form);
    }
  });

  it.each([
    { level: 'debug' as const, written: ['debug', 'info', 'warn', 'error'] },
    { level: 'info' as const, written: ['info', 'warn', 'error'] },
    { level: 'error' as const, written: ['error'] },
  ])('level $level drops lower levels', ({ level, written }) => {
    const lines: string[] = [];
    const logger = createJsonLogger({ service: 's', level, write: (l) => lines.push(l) });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(lines.map((l) => (JSON.parse(l) as { level: string }).level)).toEqual(written);
  });

  it('logs an error as name, code and message (no stack)', () => {
    const lines: string[] = [];
    createJsonLogger({ service: 's', write: (l) => lines.push(l) }).error('failed', { error: new RegopsError('cluster.conflict', 'cluster a: configs/cluster: patch rejected (Conflict)') });
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ error: { name: 'RegopsError', code: 'cluster.conflict', message: 'cluster a: configs/cluster: patch rejected (Conflict)' } });
    expect(lines[0]).not.toContain('stack');
  });
});

describe('EMF metrics', () => {
  it('builds a document CloudWatch extracts: _aws metadata, dimensions and values at the top level', () => {
    const document = buildEmfDocument([
      { name: regopsMetricNames.driftedClusters, value: 3, unit: 'Count' },
      { name: regopsMetricNames.scanDuration, value: 5400, unit: 'Milliseconds' },
    ], { namespace: 'Regops', dimensions: { Function: 'drift-scan' }, properties: { commit: 'abc' }, now });
    expect(document).toEqual({
      _aws: { Timestamp: Date.parse('2026-11-25T10:00:00.000Z'), CloudWatchMetrics: [{ Namespace: 'Regops', Dimensions: [['service', 'Function']], Metrics: [{ Name: 'DriftedClusters', Unit: 'Count' }, { Name: 'DriftScanDuration', Unit: 'Milliseconds' }] }] },
      service: 'regops',
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
