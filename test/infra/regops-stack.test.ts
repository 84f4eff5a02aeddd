/**
 * The stack through aws-cdk-lib/assertions: functions and runtimes, the rollout state machine's
 * wave Map states (MaxConcurrency, ToleratedFailureCount, Distributed Map for large waves), the
 * reconcile poll loop, the drift schedule, the reports bucket and its policy, IAM least privilege.
 * CDK's own template validation is off here (CDK_VALIDATION=false, docs/toolchain-facts.md "CDK"); the
 * cdk-nag test runs with it on.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { registryBucketPatterns } from '../../infra/registry-bucket-patterns.ts';
import { buildFixtureStack, fixtureWaves } from './stack-fixture.ts';

process.env['CDK_VALIDATION'] = 'false';

interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  MaxConcurrency?: number;
  ToleratedFailureCount?: number;
  ItemsPath?: string;
  ItemSelector?: Record<string, unknown>;
  ItemProcessor?: { ProcessorConfig?: { Mode?: string; ExecutionType?: string }; StartAt: string; States: Record<string, AslState> };
  Catch?: Array<{ ErrorEquals: string[]; Next: string; ResultPath?: string }>;
  SecondsPath?: string;
  Choices?: Array<Record<string, unknown>>;
  Default?: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  CausePath?: string;
  ErrorPath?: string;
  ItemReader?: unknown;
  ResultWriter?: unknown;
  ToleratedFailurePercentage?: number;
  ResultPath?: string;
  OutputPath?: string;
}
interface Asl { StartAt: string; States: Record<string, AslState> }

let template: Template;

/** The definition string of a state machine, with the Fn::Join tokens flattened to placeholders. */
function definitionOf(idFragment: string): Asl {
  const machines = template.findResources('AWS::StepFunctions::StateMachine');
  const entry = Object.entries(machines).find(([id]) => id.includes(idFragment));
  if (entry === undefined) throw new Error(`no state machine ${idFragment}`);
  const definition = (entry[1] as { Properties: { DefinitionString: unknown } }).Properties.DefinitionString;
  const flatten = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join !== undefined) return join[1].map(flatten).join(join[0]);
    const getAtt = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
    if (getAtt !== undefined) return `arn:local:${getAtt[0]}`;
    return 'TOKEN';
  };
  return JSON.parse(flatten(definition)) as Asl;
}

beforeAll(() => {
  const { stack } = buildFixtureStack();
  template = Template.fromStack(stack);
});

describe('functions', () => {
  it('has five functions on nodejs22.x with an ESM handler, tracing and their own log group, and no DLQ (every invoke is synchronous)', () => {
    template.resourceCountIs('AWS::Lambda::Function', 5);
    for (const name of ['github-webhook', 'plan-waves', 'reconcile-cluster', 'drift-scan', 'publish-report']) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        DeadLetterConfig: Match.absent(),
        LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: Match.anyValue() }),
        Description: `regops ${name}`,
        Environment: { Variables: Match.objectLike({ REGOPS_REPOSITORY: 'acme/registry-config', ...(name === 'github-webhook' ? {} : { REPORTS_BUCKET: Match.anyValue() }) }) },
      });
    }
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('reserves concurrency for the webhook (10) and reconcile-cluster (widest wave + plan concurrency)', () => {
    const reserved = (name: string) => (Object.values(template.findResources('AWS::Lambda::Function')) as Array<{ Properties: { ReservedConcurrentExecutions?: number; Description: string } }>)
      .find((f) => f.Properties.Description === `regops ${name}`)?.Properties.ReservedConcurrentExecutions;
    expect(reserved('github-webhook')).toBe(10);
    // fixture waves: canary 1, main 5, bulk 50 → 50 + the plan Map's 20
    expect(reserved('reconcile-cluster')).toBe(70);
  });

  it('outputs every ARN docs/run-in-aws.md asks for, and logs state machines under /aws/vendedlogs/states/', () => {
    const outputs = Object.keys(template.toJSON()['Outputs'] as Record<string, unknown>);
    expect(outputs).toEqual(expect.arrayContaining(['WebhookUrl', 'ReportsBucketName', 'AlarmTopicArn', 'RolloutStateMachineArn', 'PlanStateMachineArn', 'DriftStateMachineArn']));
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup')) as Array<{ Properties: { LogGroupName?: string } }>;
    const vended = groups.map((g) => g.Properties.LogGroupName).filter((name): name is string => name !== undefined);
    expect(vended).toHaveLength(3);
    for (const name of vended) expect(name).toMatch(/^\/aws\/vendedlogs\/states\/.+-(Rollout|Plan|Drift)$/);
  });

  it('exposes only the webhook through a Function URL, verified by the function itself', () => {
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
  });

  it('has an alarm on errors of every function and on failed rollouts, all to the alarm topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Array<{ Properties: { MetricName: string; Namespace: string; AlarmActions: unknown[] } }>;
    expect(alarms.filter((a) => a.Properties.MetricName === 'Errors' && a.Properties.Namespace === 'AWS/Lambda')).toHaveLength(5);
    expect(alarms.filter((a) => a.Properties.MetricName === 'ExecutionsFailed' && a.Properties.Namespace === 'AWS/States')).toHaveLength(3);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toHaveLength(1);
  });

  it('the alarm topic is encrypted with a customer-managed key whose policy lets CloudWatch alarms use it', () => {
    const topic = Object.values(template.findResources('AWS::SNS::Topic'))[0] as { Properties: { KmsMasterKeyId: unknown } };
    // alias/aws/sns cannot be used by CloudWatch alarms: the key must be one of the stack's
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^AlarmsKey/), 'Arn'] });
    const key = Object.values(template.findResources('AWS::KMS::Key'))[0] as { Properties: { EnableKeyRotation: boolean; KeyPolicy: { Statement: Array<{ Principal?: { Service?: string }; Action: string[] | string; Condition?: unknown }> } } };
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const forCloudWatch = key.Properties.KeyPolicy.Statement.find((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(forCloudWatch).toMatchObject({ Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } });
  });
});

describe('rollout state machine', () => {
  it('plans, then per wave checks its window and runs its Map in fleet order, baking only after a wave that changed something, then publishes', () => {
    const asl = definitionOf('Rollout');
    expect(asl.StartAt).toBe('Plan waves');
    expect(asl.States['Plan waves']?.Next).toBe('Check window 1 canary');
    expect(asl.States['Window open? 1 canary']).toMatchObject({ Default: 'Wave 1 canary' });
    expect(asl.States['Wave 1 canary']?.Next).toBe('Did wave change 1 canary');
    // the wave's outcomes are in its Map's ResultWriter files, not in the state: publish-report counts them
    expect(asl.States['Did wave change 1 canary']).toMatchObject({ Type: 'Task', Parameters: { 'kind': 'wave', 'wave': 'canary', 'commit.$': '$.plan.commit', 'results.$': '$.lastWave.ResultWriterDetails' }, ResultPath: '$.lastWaveChanged', Next: 'Bake? 1 canary' });
    expect(asl.States['Bake? 1 canary']).toMatchObject({ Choices: [{ Variable: '$.lastWaveChanged.changed', BooleanEquals: true, Next: 'Bake after wave 1 canary' }], Default: 'Check window 2 main' });
    expect(asl.States['Bake after wave 1 canary']).toMatchObject({ Type: 'Wait', SecondsPath: '$.plan.waves[0].bakeSeconds', Next: 'Check window 2 main' });
    expect(asl.States['Bake? 2 main']).toMatchObject({ Default: 'Check window 3 bulk' });
    expect(asl.States['Wave 3 bulk']?.Next).toBe('Publish rollout');
    expect(asl.States['Publish rollout']?.Next).toBe('Rollout done');
    expect(asl.States['Plan waves']?.Parameters).toMatchObject({ 'expectedWaves': fixtureWaves.map((w) => w.name), 'kind': 'rollout', 'execution.$': '$' });
    // a rollout that cannot start still reports why on the commit, then fails
    expect(asl.States['Plan waves']?.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Publish refused rollout' }]);
    expect(asl.States['Publish refused rollout']).toMatchObject({ Parameters: { kind: 'refused', 'cause.$': '$.failure.Cause' }, Next: 'Rollout not planned' });
  });

  const waves = [
    { state: 'Wave 1 canary', index: 0, maxConcurrency: 1, tolerated: 0 },
    { state: 'Wave 2 main', index: 1, maxConcurrency: 5, tolerated: 1 },
    { state: 'Wave 3 bulk', index: 2, maxConcurrency: 50, tolerated: 0 },
  ];
  it.each(waves)('$state: a Distributed Map reading the wave\'s clusters from the run store, MaxConcurrency $maxConcurrency, ToleratedFailureCount $tolerated, results to S3', ({ state, index, maxConcurrency, tolerated }) => {
    const map = definitionOf('Rollout').States[state];
    expect(map?.Type).toBe('Map');
    // every wave, whatever its size (issue 14 item 5): the state carries a key, never the cluster list
    expect(map?.ItemProcessor?.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(map?.ItemsPath).toBeUndefined();
    // (Bucket: the reports bucket's Ref, flattened to TOKEN here)
    expect(map?.ItemReader).toEqual({ Resource: 'arn:TOKEN:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { 'Bucket': 'TOKEN', 'Key.$': `$.plan.waves[${index}].itemsKey` } });
    expect(map?.ResultWriter).toEqual({ Resource: 'arn:TOKEN:states:::s3:putObject', Parameters: { Bucket: 'TOKEN', Prefix: 'runs/map-results/' } });
    expect(map?.MaxConcurrency).toBe(maxConcurrency);
    // ToleratedFailureCount defaults to 0 when absent (Amazon States Language, Map state)
    expect(map?.ToleratedFailureCount ?? 0).toBe(tolerated);
    expect(map?.ItemSelector).toEqual({ 'phase': 'apply', 'kind': 'rollout', 'commit.$': '$.plan.commit', 'wave': fixtureWaves[index]?.name, 'cluster.$': '$$.Map.Item.Value', 'startedAt.$': '$.plan.startedAt' });
    // halt on failure: the wave's failure is caught, rolled back when the stored plan says
    // rollback: automatic, published, and ends in a Fail state with the cause
    const handler = map?.Catch?.[0];
    expect(handler?.ErrorEquals).toEqual(['States.ALL']);
    const rollBack = definitionOf('Rollout').States[handler?.Next ?? ''];
    expect(rollBack?.Type).toBe('Choice');
    const publish = definitionOf('Rollout').States[rollBack?.Default ?? ''];
    expect(publish?.Parameters).toMatchObject({ status: 'failed', halted: { 'wave': fixtureWaves[index]?.name, 'cause.$': '$.failure.Cause' } });
    expect(definitionOf('Rollout').States[publish?.Next ?? '']).toMatchObject({ Type: 'Fail', CausePath: '$.failure.Cause' });
  });

  it('rolls a failed wave back when its stored plan says rollback: automatic: a Distributed Map over the wave\'s clusters with restore, then the halted rollout is published; a failed restore fails the run with rollout.rollback-failed', () => {
    const states = definitionOf('Rollout').States;
    const choice = states['Roll back? 1 canary'];
    expect(choice?.Choices).toEqual([{ And: [{ Variable: '$.plan.waves[0].rollback', IsPresent: true }, { Variable: '$.plan.waves[0].rollback', StringEquals: 'automatic' }], Next: 'Roll back 1 canary' }]);
    expect(choice?.Default).toBe('Publish halted rollout 1 canary');
    const map = states['Roll back 1 canary'];
    expect(map?.ItemProcessor?.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(map?.ItemReader).toEqual({ Resource: 'arn:TOKEN:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { 'Bucket': 'TOKEN', 'Key.$': '$.plan.waves[0].itemsKey' } });
    expect(map?.ItemSelector).toEqual({ 'phase': 'apply', 'kind': 'rollout', 'restore': true, 'commit.$': '$.plan.commit', 'wave': 'canary', 'cluster.$': '$$.Map.Item.Value', 'startedAt.$': '$.plan.startedAt' });
    expect(map?.MaxConcurrency).toBe(1);
    expect(map?.ToleratedFailureCount ?? 0).toBe(0);
    // the same reconcile loop as the wave: apply, health-gate polls in Wait states, a failed restore fails its child
    expect(map?.ItemProcessor?.StartAt).toBe('Reconcile 1 rollback');
    expect(map?.ItemProcessor?.States['Health settled? 1 rollback']?.Choices).toEqual([
      { Variable: '$.phase', StringEquals: 'poll', Next: 'Wait for health 1 rollback' },
      { Variable: '$.outcome', StringEquals: 'failed', Next: 'Cluster failed 1 rollback' },
    ]);
    expect(map?.Next).toBe('Publish halted rollout 1 canary');
    expect(map?.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.rollbackFailure', Next: 'Publish failed rollback 1 canary' }]);
    const failed = states['Publish failed rollback 1 canary'];
    expect(failed?.Parameters).toMatchObject({ kind: 'rollout', status: 'failed', halted: { 'wave': 'canary', 'error.$': '$.failure.Error' } });
    expect(states[failed?.Next ?? '']).toMatchObject({ Type: 'Fail', Error: 'rollout.rollback-failed' });
  });

  it('runs each cluster as reconcile → (Wait → reconcile)* → done in its child execution, failing it on a failed cluster', () => {
    const processor = definitionOf('Rollout').States['Wave 1 canary']?.ItemProcessor;
    expect(processor?.StartAt).toBe('Reconcile 1');
    const choice = processor?.States['Health settled? 1'];
    expect(choice?.Choices).toEqual([
      { Variable: '$.phase', StringEquals: 'poll', Next: 'Wait for health 1' },
      { Variable: '$.outcome', StringEquals: 'failed', Next: 'Cluster failed 1' },
    ]);
    expect(processor?.States['Wait for health 1']).toMatchObject({ Type: 'Wait', SecondsPath: '$.waitSeconds', Next: 'Reconcile 1' });
    expect(processor?.States['Cluster failed 1']).toMatchObject({ Type: 'Fail', ErrorPath: '$.error.code', CausePath: '$.error.message' });
    // a child answers only its outcome: that is what its ResultWriter entry holds
    expect(processor?.States['Cluster done 1']).toMatchObject({ Type: 'Succeed', OutputPath: '$.outcome' });
  });

  it('the state machines may start and watch their own child executions, read the run store and write Map results, nothing more of S3', () => {
    const policies = Object.entries(template.findResources('AWS::IAM::Policy')) as Array<[string, { Properties: { PolicyDocument: { Statement: Array<{ Action: string | string[]; Resource: unknown }> } } }]>;
    for (const machine of ['Rollout', 'Plan', 'Drift']) {
      const statements = policies.filter(([id]) => id.startsWith(`Workflows${machine}`)).flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
      const on = (action: string) => statements.filter((st) => [st.Action].flat().includes(action)).map((st) => JSON.stringify(st.Resource));
      expect(on('states:StartExecution'), machine).toEqual([expect.stringMatching(new RegExp(`^\\{"Ref":"Workflows${machine}[0-9A-F]+"\\}$`))]);
      expect(on('states:DescribeExecution')[0], machine).toMatch(new RegExp(`execution:.*Workflows${machine}.*:\\*`));
      const s3 = statements.filter((st) => [st.Action].flat().some((a) => a.startsWith('s3:')));
      expect(s3.map((st) => [[st.Action].flat().sort(), JSON.stringify(st.Resource).replace(/ReportsBucket[0-9A-F]+/, 'ReportsBucket')]), machine).toEqual([
        [['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'], '{"Fn::Join":["",[{"Fn::GetAtt":["ReportsBucket","Arn"]},"/runs/map-results/*"]]}'],
        [['s3:GetObject'], '{"Fn::Join":["",[{"Fn::GetAtt":["ReportsBucket","Arn"]},"/runs/*"]]}'],
      ]);
    }
  });
});

describe('plan and drift state machines', () => {
  it('the plan workflow publishes at once when the config is invalid, else plans every cluster first (a Distributed Map over the stored cluster list)', () => {
    const asl = definitionOf('Plan');
    expect(asl.States['Config valid?']?.Choices).toEqual([{ Variable: '$.plan.valid', BooleanEquals: false, Next: 'Publish plan' }]);
    expect(asl.States['Plan clusters']).toMatchObject({ Type: 'Map', ItemReader: { Parameters: { 'Key.$': '$.plan.clustersKey' } }, ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' } }, MaxConcurrency: 20, Next: 'Publish plan' });
  });

  it('the drift workflow loads the branch head, scans one cluster per child execution (every failure tolerated), publishes; a Map that fails still publishes what was stored', () => {
    const asl = definitionOf('Drift');
    expect(asl.StartAt).toBe('Load branch head');
    expect(asl.States['Load branch head']).toMatchObject({ Next: 'Scan clusters', Parameters: { 'kind': 'drift', 'startedAt.$': '$$.Execution.StartTime' } });
    const scan = asl.States['Scan clusters'];
    expect(scan).toMatchObject({ Type: 'Map', Next: 'Publish drift', MaxConcurrency: 50, ToleratedFailurePercentage: 100, ItemReader: { Parameters: { 'Key.$': '$.plan.clustersKey' } }, ResultWriter: { Parameters: { Prefix: 'runs/map-results/' } } });
    expect(scan?.ItemSelector).toEqual({ 'commit.$': '$.plan.commit', 'scan.$': '$.plan.scan', 'cluster.$': '$$.Map.Item.Value.cluster', 'wave.$': '$$.Map.Item.Value.wave' });
    expect(scan?.ItemProcessor?.States['Scan cluster']).toMatchObject({ Type: 'Task', OutputPath: '$.state', End: true });
    expect(scan?.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Publish partial drift' }]);
    expect(asl.States['Publish partial drift']).toMatchObject({ Parameters: { 'kind': 'drift', 'stopped': { 'error.$': '$.failure.Error' } }, Next: 'Drift scan stopped' });
    expect(asl.States['Drift scan stopped']).toMatchObject({ Type: 'Fail' });
    expect(asl.States['Publish drift']).toMatchObject({ Parameters: { 'kind': 'drift', 'scan.$': '$.plan.scan', 'startedAt.$': '$$.Execution.StartTime' }, Next: 'Drift published' });
  });

  it('the scheduler starts the drift workflow at the configured rate, with a DLQ and retries', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(30 minutes)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('WorkflowsDrift') }, DeadLetterConfig: { Arn: Match.anyValue() }, RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 } }),
    });
  });

  it('logs every state machine at level ALL with X-Ray tracing', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 3);
    template.allResourcesProperties('AWS::StepFunctions::StateMachine', { LoggingConfiguration: Match.objectLike({ Level: 'ALL' }), TracingConfiguration: { Enabled: true } });
  });
});

describe('reports bucket', () => {
  it('is encrypted, versioned, private, logged, and keeps dated history for the configured days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'reports/' }),
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'history', Prefix: 'history/', ExpirationInDays: 400 })]) },
    });
  });

  it('denies every request not made over TLS', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as Array<{ Properties: { PolicyDocument: { Statement: Array<Record<string, unknown>> } } }>;
    expect(policies.length).toBe(2);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    }
  });
});

describe('IAM least privilege', () => {
  type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
  function statementsOf(roleFragment: string): Statement[] {
    const policies = Object.entries(template.findResources('AWS::IAM::Policy')) as Array<[string, { Properties: { PolicyDocument: { Statement: Statement[] }; Roles: Array<{ Ref: string }> } }]>;
    return policies.filter(([, p]) => p.Properties.Roles.some((r) => r.Ref.startsWith(roleFragment))).flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
  }
  const secretResources = (statements: Statement[]): string[] => statements
    .filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'))
    .flatMap((s) => [s.Resource].flat())
    .map((r) => JSON.stringify(r));

  it.each([
    // the GitHub token for approval gates: a press of "Approve wave" checks the sender's permission and completes the check run
    { fn: 'GithubWebhook', secrets: ['regops/github-webhook-secret-??????', 'regops/github-token-??????'] },
    { fn: 'PlanWaves', secrets: ['regops/github-token-??????'] },
    { fn: 'PublishReport', secrets: ['regops/github-token-??????'] },
    // the default storage-credential secrets of every backend: regops/<cluster>/registry-<backend>
    { fn: 'ReconcileCluster', secrets: ['regops/clusters/*', 'regops/*/registry-*'] },
    { fn: 'DriftScan', secrets: ['regops/clusters/*', 'regops/*/registry-*'] },
  ])('$fn reads only its own secrets', ({ fn, secrets }) => {
    const resources = secretResources(statementsOf(`${fn}Role`));
    expect(resources).toHaveLength(secrets.length);
    secrets.forEach((suffix, i) => expect(resources[i]).toContain(`:secret:${suffix}`));
  });

  it('the cluster-facing functions may read SSM parameters under /regops/ (storage.yaml ssm: references), no other function any', () => {
    const ssm = (fn: string) => statementsOf(`${fn}Role`).filter((s) => [s.Action].flat().some((a) => a.startsWith('ssm:')));
    for (const fn of ['ReconcileCluster', 'DriftScan']) {
      expect(ssm(fn).map((s) => [s.Action, JSON.stringify(s.Resource)])).toEqual([['ssm:GetParameter', expect.stringContaining(':parameter/regops/*')]]);
    }
    for (const fn of ['GithubWebhook', 'PlanWaves', 'PublishReport']) expect(ssm(fn)).toEqual([]);
  });

  it('bucket administration is granted only on the bucket names the fleet\'s storage.yaml files give, never arn:aws:s3:::*', () => {
    expect(registryBucketPatterns('config')).toEqual(['acme-registry-*']);
    for (const fn of ['ReconcileCluster', 'DriftScan']) {
      const admin = statementsOf(`${fn}Role`).filter((s) => s.Effect !== 'Deny' && [s.Action].flat().includes('s3:PutBucketTagging'));
      expect(admin).toHaveLength(1);
      const granted = JSON.stringify(admin[0]?.Resource);
      expect(granted).toContain(':s3:::acme-registry-*');
      expect(granted).not.toContain(':s3:::*');
    }
    const none = Template.fromStack(buildFixtureStack({ registryBucketPatterns: [] }).stack).toJSON() as { Resources: Record<string, { Type: string; Properties: { PolicyDocument?: { Statement: Statement[] } } }> };
    const actions = Object.values(none.Resources).filter((r) => r.Type === 'AWS::IAM::Policy').flatMap((r) => r.Properties.PolicyDocument?.Statement ?? []).filter((s) => s.Effect !== 'Deny').flatMap((s) => [s.Action].flat());
    expect(actions).not.toContain('s3:PutBucketTagging');
  });

  it('bucket administration is denied on the stack\'s own buckets, whatever regops:registryBucketPattern allows', () => {
    for (const fn of ['ReconcileCluster', 'DriftScan']) {
      const deny = statementsOf(`${fn}Role`).find((s) => s.Effect === 'Deny');
      expect(deny?.Action).toEqual(expect.arrayContaining(['s3:CreateBucket', 's3:PutBucket*', 's3:DeleteBucket*', 's3:PutEncryptionConfiguration', 's3:PutLifecycleConfiguration']));
      const denied = JSON.stringify(deny?.Resource);
      expect(denied).toMatch(/ReportsBucket[0-9A-F]+", "Arn"|ReportsBucket[0-9A-F]+","Arn"/);
      expect(denied).toMatch(/ReportsAccessLogs/);
    }
  });

  it('only the webhook may start rollouts and plans; no function may start the drift scan', () => {
    const starts = (fn: string) => statementsOf(`${fn}Role`).filter((s) => [s.Action].flat().includes('states:StartExecution'));
    expect(starts('GithubWebhook')).toHaveLength(2);
    for (const fn of ['PlanWaves', 'ReconcileCluster', 'DriftScan', 'PublishReport']) expect(starts(fn)).toHaveLength(0);
  });

  it('no role has a managed policy or an admin-style action', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role')) as Array<{ Properties: { ManagedPolicyArns?: unknown } }>) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy')) as Array<{ Properties: { PolicyDocument: { Statement: Statement[] } } }>) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        for (const action of [statement.Action].flat()) expect(action).not.toMatch(/^(\*|[a-z0-9-]+:\*)$/);
      }
    }
  });
});

describe('private API servers', () => {
  it('puts the cluster-facing functions in the given subnets, with VPC endpoints instead of a NAT', () => {
    const { stack } = buildFixtureStack({ network: { vpcId: 'vpc-0abc', availabilityZones: ['eu-west-1a', 'eu-west-1b'], subnetIds: ['subnet-a', 'subnet-b'], routeTableIds: ['rtb-a', 'rtb-b'], securityGroupIds: ['sg-regops'], createEndpoints: true } });
    const vpcTemplate = Template.fromStack(stack);
    const inVpc = Object.values(vpcTemplate.findResources('AWS::Lambda::Function')).filter((f) => (f as { Properties: { VpcConfig?: unknown } }).Properties.VpcConfig !== undefined) as Array<{ Properties: { VpcConfig: unknown; Description: string } }>;
    expect(inVpc.map((f) => f.Properties.Description).sort()).toEqual(['regops drift-scan', 'regops reconcile-cluster']);
    expect(inVpc[0]?.Properties.VpcConfig).toEqual({ SubnetIds: ['subnet-a', 'subnet-b'], SecurityGroupIds: ['sg-regops'] });
    const endpoints = Object.values(vpcTemplate.findResources('AWS::EC2::VPCEndpoint')) as Array<{ Properties: { ServiceName: unknown; VpcEndpointType?: string } }>;
    const names = endpoints.map((e) => JSON.stringify(e.Properties.ServiceName));
    expect(names.some((n) => n.includes('.s3'))).toBe(true);
    // what the in-VPC functions call; Step Functions and CloudWatch Logs endpoints would be unused
    for (const service of ['secretsmanager', 'ssm']) expect(names.some((n) => n.includes(`.${service}`))).toBe(true);
    for (const service of ['states', 'logs']) expect(names.some((n) => n.includes(`.${service}`))).toBe(false);
    expect(endpoints).toHaveLength(3);
  });
});
