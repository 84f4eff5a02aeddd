import { describe, expect, it } from 'vitest';
import { aggregateClusterOperatorConditions, mergeConditions, type Condition } from '../../../functions/sandbox/registry-conditions.ts';

const c = (type: string, status: Condition['status'], reason: string, message = ''): Condition => ({ type, status, reason, message });

const nodeCA = [c('NodeCADaemonAvailable', 'True', 'AsExpected', 'The daemon set node-ca has available replicas'), c('NodeCADaemonProgressing', 'False', 'AsExpected', 'The daemon set node-ca is deployed')];
const pruner = [c('Available', 'True', 'AsExpected', 'Pruner CronJob has been created'), c('Degraded', 'False', 'AsExpected')];

describe('aggregateClusterOperatorConditions (registry-operator.md §6.2)', () => {
  it.each([
    [
      'healthy ⇒ Ready, Ready, AsExpected',
      [c('Available', 'True', 'Ready', 'The registry is ready'), c('Progressing', 'False', 'Ready', 'The registry is ready'), c('Degraded', 'False', ''), c('Removed', 'False', ''), ...nodeCA],
      ['True/Ready', 'False/Ready', 'False/AsExpected'],
    ],
    [
      'Removed ⇒ Removed on all three',
      [c('Available', 'True', 'Removed'), c('Progressing', 'False', 'Removed'), c('Degraded', 'False', 'Removed'), c('Removed', 'True', 'Removed')],
      ['True/Removed', 'False/Removed', 'False/Removed'],
    ],
    [
      'missing CA ConfigMap ⇒ Degraded True ImageRegistryCertificatesControllerError',
      [c('Available', 'True', 'Ready'), c('Progressing', 'False', 'Ready'), c('Degraded', 'False', ''), c('ImageRegistryCertificatesControllerDegraded', 'True', 'Error', 'x')],
      ['True/Ready', 'False/Ready', 'True/ImageRegistryCertificatesControllerError'],
    ],
    [
      'node-ca without pods ⇒ Available False NodeCADaemonNoAvailableReplicas',
      [c('Available', 'True', 'Ready'), c('NodeCADaemonAvailable', 'False', 'NoAvailableReplicas'), c('Progressing', 'False', 'Ready'), c('Degraded', 'False', '')],
      ['False/NodeCADaemonNoAvailableReplicas::Ready', 'False/Ready', 'False/AsExpected'],
    ],
    [
      'storage conditions are not aggregated',
      [c('Available', 'True', 'Ready'), c('Progressing', 'False', 'Ready'), c('Degraded', 'False', ''), c('StorageExists', 'False', 'NoSuchBucket')],
      ['True/Ready', 'False/Ready', 'False/AsExpected'],
    ],
  ])('%s', (_name, config, expected) => {
    const out = aggregateClusterOperatorConditions(config, pruner);
    expect(out.map((condition) => `${condition.status}/${condition.reason}`)).toEqual(expected);
  });

  it('messages are one line per member, `<type>: <message>`', () => {
    const out = aggregateClusterOperatorConditions([c('Available', 'True', 'Ready', 'The registry is ready'), ...nodeCA], pruner);
    expect(out[0]?.message).toBe('Available: The registry is ready\nNodeCADaemonAvailable: The daemon set node-ca has available replicas\nImagePrunerAvailable: Pruner CronJob has been created');
  });
});

describe('mergeConditions', () => {
  it('keeps lastTransitionTime while the status stays, moves it when the status flips, omits empty reason/message', () => {
    const first = mergeConditions(undefined, [c('Available', 'True', 'Ready', 'ok')], 't1');
    const same = mergeConditions(first, [c('Available', 'True', 'MinimumAvailability', 'ok')], 't2');
    const flipped = mergeConditions(same, [c('Available', 'False', '')], 't3');
    expect(first[0]?.['lastTransitionTime']).toBe('t1');
    expect(same[0]?.['lastTransitionTime']).toBe('t1');
    expect(flipped[0]).toEqual({ type: 'Available', status: 'False', lastTransitionTime: 't3' });
  });
});
