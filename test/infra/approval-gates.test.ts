/**
 * Approval gates in the synthesized stack (issue 13 item 2): the state before a gated wave waits on a
 * task token with the wave's approvalTimeout, a timeout halts through the published-report path as
 * rollout.approval-timeout, and only the webhook may answer a token, on the rollout machine only,
 * reading only approval records of the reports bucket.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { extractStateMachines } from '../support/local-step-functions.ts';
import { buildFixtureStack, fixtureWaves } from './stack-fixture.ts';

process.env['CDK_VALIDATION'] = 'false';

interface Statement { Effect?: string; Action: string | string[]; Resource: unknown }
const gatedWaves = fixtureWaves.map((w) => (w.name === 'main' ? { ...w, approvalTimeoutSeconds: 5400 } : w));
const template = Template.fromStack(buildFixtureStack({ waves: gatedWaves }).stack).toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

function statementsOf(roleFragment: string): Statement[] {
  return Object.values(template.Resources).filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((p) => (p.Properties['Roles'] as Array<{ Ref: string }>).some((r) => r.Ref.startsWith(roleFragment)))
    .flatMap((p) => (p.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement);
}

describe('approval gates in the stack', () => {
  const machines = extractStateMachines(template as Parameters<typeof extractStateMachines>[0]);
  const rollout = Object.entries(machines).find(([id]) => id.includes('Rollout'))?.[1];

  it('waits before the gated wave only: a token Task with the wave\'s approvalTimeout, then the approval recorded, then the change windows', () => {
    const states = rollout?.States ?? {};
    expect(Object.keys(states).filter((name) => name.startsWith('Approve '))).toEqual(['Approve 2 main']);
    const approve = states['Approve 2 main'] as Record<string, unknown>;
    expect(approve['Resource']).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(approve['TimeoutSeconds']).toBe(5400);
    expect((approve['Parameters'] as { Payload: Record<string, unknown> }).Payload).toMatchObject({ 'approval': 'request', 'token.$': '$$.Task.Token', 'wave': 'main', 'timeoutSeconds': 5400 });
    expect(approve['Next']).toBe('Record approval 2 main');
    expect(states['Record approval 2 main']?.['Next']).toBe('Check window 2 main');
    // a resumed run's skipped wave (no clusters) needs no approval
    expect(states['Needs approval? 2 main']).toMatchObject({ Choices: [{ Variable: '$.plan.waves[1].clusterCount', NumericEquals: 0, Next: 'Check window 2 main' }], Default: 'Approve 2 main' });
    const catches = approve['Catch'] as Array<{ ErrorEquals: string[]; Next: string }>;
    expect(catches.map((c) => [c.ErrorEquals, c.Next])).toEqual([[['States.Timeout'], 'Approval timed out 2 main'], [['States.ALL'], 'Publish held rollout 2 main']]);
    expect(states['Expire approval 2 main']).toMatchObject({ Next: 'Publish held rollout 2 main', Parameters: { 'approval': 'expired', 'commit.$': '$.plan.commit', 'wave': 'main' } });
    expect(states['Approval timed out 2 main']).toMatchObject({ Type: 'Pass', ResultPath: '$.failure', Next: 'Expire approval 2 main', Parameters: { Error: 'rollout.approval-timeout', Cause: expect.stringContaining('wave main: nobody approved it within 1h30m') } });
  });

  it('only the webhook may answer a task token, on the rollout state machine only, and it reads only approval records', () => {
    const answers = (fn: string) => statementsOf(`${fn}Role`).filter((s) => [s.Action].flat().some((a) => a.startsWith('states:SendTask')));
    expect(answers('GithubWebhook').map((s) => [s.Action, JSON.stringify(s.Resource)])).toEqual([['states:SendTaskSuccess', expect.stringMatching(/WorkflowsRollout[0-9A-F]+/)]]);
    for (const fn of ['PlanWaves', 'ReconcileCluster', 'DriftScan', 'PublishReport']) expect(answers(fn)).toEqual([]);
    const reads = statementsOf('GithubWebhookRole').filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
    expect(reads.map((s) => [s.Action, JSON.stringify(s.Resource)])).toEqual([['s3:GetObject', expect.stringContaining('/runs/rollout/*/approvals/*')]]);
  });
});
