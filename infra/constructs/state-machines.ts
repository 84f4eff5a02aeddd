import { Arn, ArnFormat, Aws, Duration, Names } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { retriedStepErrorNames } from '../../functions/engine/errors.ts';
import { APPROVAL_TIMEOUT } from '../../functions/engine/steps/approval-check.ts';
import { ROLLBACK_FAILED } from '../../functions/engine/rollback-wave.ts';

/** A wave as known when the stack is synthesized (from fleet.yaml); clusters are resolved per run. */
export interface WaveSpec {
  name: string;
  maxConcurrency: number;
  maxFailures: number;
  /** Clusters matching the wave at synth time (every wave runs as a Distributed Map whatever its size). */
  expectedClusters: number;
  /** Set for a wave with `approval: required`: how long the rollout waits for the approval (fleet.yaml approvalTimeout). */
  approvalTimeoutSeconds?: number;
}

export interface StateMachinesProps {
  waves: WaveSpec[];
  /** The reports bucket: the Map states read their items from `runs/` there and write their results to `runs/map-results/`. */
  runBucket: s3.Bucket;
  /** Clusters the drift workflow scans at once (its Map's MaxConcurrency). */
  driftConcurrency: number;
  /** Concurrency of the per-cluster plan for pull requests. */
  planConcurrency: number;
  planWaves: lambda.IFunction;
  reconcileCluster: lambda.IFunction;
  driftScan: lambda.IFunction;
  publishReport: lambda.IFunction;
  logRetention: logs.RetentionDays;
}

/**
 * Every Lambda Task retries, besides CDK's default retrier for Lambda service errors, the errors
 * listed in functions/engine/errors.ts (Lambda.TooManyRequestsException, TransientStepError):
 * exponential backoff from 2 s with full jitter, at most 30 s apart, 6 attempts (about 1.5 min in
 * all, enough for a GitHub 502 or an S3 500 burst). Validation and health-gate failures are not
 * in the list: those are answers, and a retry would only repeat them.
 */
export function retryTransientFailures(task: tasks.LambdaInvoke): tasks.LambdaInvoke {
  task.addRetry({
    errors: [...retriedStepErrorNames],
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxAttempts: 6,
    maxDelay: Duration.seconds(30),
    jitterStrategy: sfn.JitterType.FULL,
  });
  return task;
}

/** A rollout execution's limit; a change window opening later halts the wave at once (wave-window-step.ts). */
const rolloutTimeout = Duration.hours(24);

/** Where the Distributed Maps write their results (ResultWriter): <prefix><map run id>/manifest.json. */
export const mapResultsPrefix = 'runs/map-results/';

/**
 * A Distributed Map's items: the JSON array a step stored in the run store (functions/engine/steps/run-store.ts)
 * under the key the state input names. CDK's S3JsonItemReader would grant the state machine every
 * object of the bucket; this one grants GetObject on `runs/` only, where the run store keeps them.
 */
class RunStoreItemReader implements sfn.IItemReader {
  readonly resource: string;
  constructor(readonly bucket: s3.IBucket, private readonly keyPath: string) {
    this.resource = Arn.format({ region: '', account: '', partition: Aws.PARTITION, service: 'states', resource: 's3', resourceName: 'getObject', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }
  render(): unknown {
    return { 'Resource': this.resource, 'ReaderConfig': { InputType: 'JSON' }, 'Parameters': { 'Bucket': this.bucket.bucketName, 'Key.$': this.keyPath } };
  }
  providePolicyStatements(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects('runs/*')] })];
  }
  validateItemReader(): string[] {
    return [];
  }
}

/**
 * The Distributed Maps' ResultWriter (Bucket + Prefix, results as Step Functions writes them), with
 * the writes CDK grants (PutObject, GetObject, multipart) scoped to `runs/map-results/` instead of
 * every object of the bucket.
 */
class RunStoreResultWriter extends sfn.ResultWriterV2 {
  constructor(private readonly runBucket: s3.IBucket) {
    super({ bucket: runBucket, prefix: mapResultsPrefix });
  }
  override providePolicyStatements(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({
      actions: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
      resources: [this.runBucket.arnForObjects(`${mapResultsPrefix}*`)],
    })];
  }
}

/** 43200 → 12h, 5400 → 1h30m: the approvalTimeout as fleet.yaml writes it. */
function formatSeconds(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 || seconds === 0 ? `${s}s` : ''}`;
}

/** Step Functions state names must be unique in a definition and at most 80 characters. */
function stateName(prefix: string, index: number, wave: string): string {
  return `${prefix} ${index + 1} ${wave}`.slice(0, 80);
}

/**
 * The three workflows. Rollout: PlanWaves, then per wave a Distributed Map over its clusters
 * (items read from the run store, MaxConcurrency = the wave's maxConcurrency, ToleratedFailureCount
 * = maxFailures, one STANDARD child execution per cluster, results written to S3, so neither the
 * state nor one execution's history grows with the fleet: docs/run-in-aws.md "Limits"), a bake Wait
 * between waves that changed something, halt on failure; before each wave its change windows
 * are checked and a held wave waits for the next opening. Each cluster is the reconcile loop:
 * reconcile-cluster {phase: apply} answers {phase: poll, waitSeconds} until the health gate
 * settles, and the Wait happens here, not in Lambda. Plan (pull requests) and Drift reuse the steps.
 */
export class RegopsStateMachines extends Construct {
  readonly rollout: sfn.StateMachine;
  readonly plan: sfn.StateMachine;
  readonly drift: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: StateMachinesProps) {
    super(scope, id);
    // ResultWriterV2 is rendered only under this feature flag (else CDK silently drops it and the
    // Map's results would land in the state); set here, before any state exists, for the Maps below
    this.node.setContext(cxapi.STEPFUNCTIONS_USE_DISTRIBUTED_MAP_RESULT_WRITER_V2, true);
    this.rollout = this.createMachine('Rollout', this.defineRollout(props), rolloutTimeout, props.logRetention);
    this.plan = this.createMachine('Plan', this.definePlan(props), Duration.hours(1), props.logRetention);
    this.drift = this.createMachine('Drift', this.defineDrift(props), Duration.hours(2), props.logRetention);
  }

  private createMachine(id: string, definition: sfn.IChainable, timeout: Duration, retention: logs.RetentionDays): sfn.StateMachine {
    const machine = new sfn.StateMachine(this, id, {
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout,
      tracingEnabled: true,
      // /aws/vendedlogs/: Step Functions log delivery writes there without growing the account's
      // CloudWatch Logs resource policy past its 5,120-character limit (AWS "Logging using CloudWatch Logs")
      logs: { destination: new logs.LogGroup(this, `${id}Logs`, { retention, logGroupName: `/aws/vendedlogs/states/${Names.uniqueResourceName(this, { maxLength: 200 })}-${id}` }), level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    return machine;
  }

  private invoke(id: string, fn: lambda.IFunction, payload: Record<string, unknown>, resultPath: string): tasks.LambdaInvoke {
    return retryTransientFailures(new tasks.LambdaInvoke(this, id, {
      lambdaFunction: fn,
      payload: sfn.TaskInput.fromObject(payload),
      payloadResponseOnly: true,
      resultPath,
    }));
  }

  /** apply → (poll → Wait)* → done; a failed cluster ends its iteration in a Fail state. */
  private reconcileLoop(label: string, fn: lambda.IFunction): sfn.IChainable {
    // a retried apply is safe: reconcile-cluster re-reads and re-diffs (DESIGN.md "Fleet safety")
    const reconcile = retryTransientFailures(new tasks.LambdaInvoke(this, `Reconcile ${label}`, { lambdaFunction: fn, payloadResponseOnly: true }));
    const wait = new sfn.Wait(this, `Wait for health ${label}`, { time: sfn.WaitTime.secondsPath('$.waitSeconds') });
    const failed = new sfn.Fail(this, `Cluster failed ${label}`, { errorPath: '$.error.code', causePath: '$.error.message' });
    // each iteration's result is only its outcome: a Map gathers every result into one payload
    // (256 KB at most), and 1,000 clusters' full answers would not fit
    const done = new sfn.Succeed(this, `Cluster done ${label}`, { outputPath: '$.outcome' });
    return reconcile.next(new sfn.Choice(this, `Health settled? ${label}`)
      .when(sfn.Condition.stringEquals('$.phase', 'poll'), wait.next(reconcile))
      .when(sfn.Condition.stringEquals('$.outcome', 'failed'), failed)
      .otherwise(done));
  }

  /**
   * A Distributed Map over the JSON array at `itemsKeyPath` in the run store; STANDARD child
   * executions; results to `runs/map-results/` (the output is only {MapRunArn, ResultWriterDetails}).
   */
  private distributedMap(id: string, runBucket: s3.Bucket, options: { itemsKeyPath: string; itemSelector: Record<string, unknown>; maxConcurrency: number; toleratedFailureCount?: number; toleratedFailurePercentage?: number; resultPath: string }): sfn.DistributedMap {
    // aws-s3's Bucket declares isWebsite optional, IBucket does not: the same object under exactOptionalPropertyTypes
    const bucket = runBucket as s3.IBucket;
    return new sfn.DistributedMap(this, id, {
      itemReader: new RunStoreItemReader(bucket, options.itemsKeyPath),
      itemSelector: options.itemSelector,
      maxConcurrency: options.maxConcurrency,
      ...(options.toleratedFailureCount === undefined ? {} : { toleratedFailureCount: options.toleratedFailureCount }),
      ...(options.toleratedFailurePercentage === undefined ? {} : { toleratedFailurePercentage: options.toleratedFailurePercentage }),
      mapExecutionType: sfn.StateMachineType.STANDARD,
      resultWriterV2: new RunStoreResultWriter(bucket),
      resultPath: options.resultPath,
    });
  }

  private defineRollout(props: StateMachinesProps): sfn.IChainable {
    const plan = this.invoke('Plan waves', props.planWaves, {
      'kind': 'rollout',
      'commit.$': '$.commit',
      'expectedWaves': props.waves.map((wave) => wave.name),
      // the whole input, so a rollout started by hand can say {"commit": "…", "fromWave": "prod"}
      'execution.$': '$',
      // the rollout's order and its name in the fleet lease (functions/engine/workflow-lease.ts)
      'startedAt.$': '$$.Execution.StartTime',
    }, '$.plan');
    // a drift scan or an earlier push holds the fleet lease: wait for it (a scan takes minutes, a
    // rollout hours; about six hours in all), then give up through the refused path below
    plan.addRetry({ errors: ['LeaseHeldError'], interval: Duration.minutes(1), backoffRate: 1.5, maxDelay: Duration.minutes(10), maxAttempts: 40 });
    const publish = (id: string, extra: Record<string, unknown>): tasks.LambdaInvoke =>
      this.invoke(id, props.publishReport, { 'kind': 'rollout', 'commit.$': '$.plan.commit', 'startedAt.$': '$$.Execution.StartTime', ...extra }, '$.published');
    const halt = new sfn.Fail(this, 'Rollout halted', { errorPath: '$.failure.Error', causePath: '$.failure.Cause' });
    // a rollout that cannot start (invalid config, waves changed, fleet too large) still tells GitHub why
    const refused = this.invoke('Publish refused rollout', props.publishReport, {
      'kind': 'refused',
      'commit.$': '$.commit',
      'startedAt.$': '$$.Execution.StartTime',
      'error.$': '$.failure.Error',
      'cause.$': '$.failure.Cause',
    }, '$.published');
    refused.next(new sfn.Fail(this, 'Rollout not planned', { errorPath: '$.failure.Error', causePath: '$.failure.Cause' }));
    plan.addCatch(refused, { resultPath: '$.failure' });

    const maps = props.waves.map((wave, index) => {
      const label = `${index + 1}`;
      const itemSelector = {
        'phase': 'apply',
        'kind': 'rollout',
        'commit.$': '$.plan.commit',
        'wave': wave.name,
        'cluster.$': '$$.Map.Item.Value',
        // the run the values kept for a rollback belong to (engine/steps/rollback-previous.ts)
        'startedAt.$': '$.plan.startedAt',
      };
      // every wave is a Distributed Map (issue 14 item 5): its clusters come from the run store, each
      // cluster's reconcile loop (health-gate polls included) is a child execution with its own
      // 25,000-event history, and the outcomes go to S3; the state keeps only the results' manifest
      const map = this.distributedMap(stateName('Wave', index, wave.name), props.runBucket, {
        itemsKeyPath: `$.plan.waves[${index}].itemsKey`,
        itemSelector,
        maxConcurrency: wave.maxConcurrency,
        toleratedFailureCount: wave.maxFailures,
        resultPath: '$.lastWave',
      });
      map.itemProcessor(this.reconcileLoop(label, props.reconcileCluster));
      const halted = publish(stateName('Publish halted rollout', index, wave.name), {
        status: 'failed',
        halted: { 'wave': wave.name, 'error.$': '$.failure.Error', 'cause.$': '$.failure.Cause' },
      });
      halted.next(halt);
      map.addCatch(this.rollBackWave(props, index, wave, halted), { resultPath: '$.failure' });
      return map;
    });
    // before each wave, the change windows of fleet.yaml (wave-window-step.ts): Check window answers
    // open, or held with the next opening; the Wait holds until then and the check runs again (a deny
    // window may have opened meanwhile). The plan-waves function answers it: it holds the run's config.
    const starts = maps.map((map, index) => {
      const wave = props.waves[index];
      if (wave === undefined) return map;
      const check = this.invoke(stateName('Check window', index, wave.name), props.planWaves, {
        'gate': 'window',
        'commit.$': '$.plan.commit',
        'wave': wave.name,
        'startedAt.$': '$$.Execution.StartTime',
        'executionTimeoutSeconds': rolloutTimeout.toSeconds(),
      }, '$.window');
      const held = publish(stateName('Publish held rollout', index, wave.name), {
        status: 'failed',
        halted: { 'wave': wave.name, 'error.$': '$.failure.Error', 'cause.$': '$.failure.Cause' },
      });
      held.next(new sfn.Fail(this, stateName('Rollout held', index, wave.name), { errorPath: '$.failure.Error', causePath: '$.failure.Cause' }));
      check.addCatch(held, { resultPath: '$.failure' });
      const hold = new sfn.Wait(this, stateName('Wait for window', index, wave.name), { time: sfn.WaitTime.timestampPath('$.window.nextOpen') });
      hold.next(check);
      check.next(new sfn.Choice(this, stateName('Window open?', index, wave.name))
        .when(sfn.Condition.booleanEquals('$.window.open', false), hold)
        .otherwise(map));
      return wave.approvalTimeoutSeconds === undefined ? check : this.approvalGate(props, index, wave, wave.approvalTimeoutSeconds, check, held);
    });
    const finish = publish('Publish rollout', { status: 'succeeded' });
    finish.next(new sfn.Succeed(this, 'Rollout done'));
    plan.next(starts[0] ?? finish);
    maps.forEach((map, index) => {
      const wave = props.waves[index];
      const following = starts[index + 1];
      if (wave === undefined || following === undefined) {
        map.next(finish);
        return;
      }
      // bake only after a wave that changed something, as the CLI does (engine/rollout.ts): the
      // children's outcomes are in the wave's ResultWriter files, which publish-report reads
      const changed = this.invoke(stateName('Did wave change', index, wave.name), props.publishReport, {
        'kind': 'wave',
        'commit.$': '$.plan.commit',
        'wave': wave.name,
        'results.$': '$.lastWave.ResultWriterDetails',
      }, '$.lastWaveChanged');
      const bake = new sfn.Wait(this, stateName('Bake after wave', index, wave.name), {
        time: sfn.WaitTime.secondsPath(`$.plan.waves[${index}].bakeSeconds`),
      });
      bake.next(following);
      map.next(changed);
      changed.next(new sfn.Choice(this, stateName('Bake?', index, wave.name))
        .when(sfn.Condition.booleanEquals('$.lastWaveChanged.changed', true), bake)
        .otherwise(following));
    });
    return plan;
  }

  /**
   * A failed wave (health gate, more failures than maxFailures, the Map itself) with `rollback:
   * automatic` in the stored plan: `Roll back N <wave>`, a Distributed Map over the wave's clusters,
   * runs each through the same reconcile loop with `restore` (engine/steps/rollback-previous.ts): a
   * cluster this execution changed gets its kept previous values back through the same apply and
   * health gate, the others answer skipped. Then the halted rollout is published as before. A restore
   * that fails fails the Map: the report (ROLLBACK FAILED per cluster, an issue opened) is published
   * and the execution fails with rollout.rollback-failed.
   */
  private rollBackWave(props: StateMachinesProps, index: number, wave: WaveSpec, halted: sfn.IChainable): sfn.IChainable {
    const rollBack = this.distributedMap(stateName('Roll back', index, wave.name), props.runBucket, {
      itemsKeyPath: `$.plan.waves[${index}].itemsKey`,
      itemSelector: { 'phase': 'apply', 'kind': 'rollout', 'restore': true, 'commit.$': '$.plan.commit', 'wave': wave.name, 'cluster.$': '$$.Map.Item.Value', 'startedAt.$': '$.plan.startedAt' },
      maxConcurrency: wave.maxConcurrency,
      toleratedFailureCount: 0,
      resultPath: sfn.JsonPath.DISCARD,
    });
    rollBack.itemProcessor(this.reconcileLoop(`${index + 1} rollback`, props.reconcileCluster));
    const failed = this.invoke(stateName('Publish failed rollback', index, wave.name), props.publishReport, {
      'kind': 'rollout', 'commit.$': '$.plan.commit', 'startedAt.$': '$$.Execution.StartTime', 'status': 'failed',
      'halted': { 'wave': wave.name, 'error.$': '$.failure.Error', 'cause.$': '$.failure.Cause' },
    }, '$.published');
    failed.next(new sfn.Fail(this, stateName('Rollback failed', index, wave.name), {
      error: ROLLBACK_FAILED,
      cause: `wave ${wave.name}: the automatic rollback failed; a cluster it could not restore stays as the halted commit left it (the rollout report and the GitHub issue name each one)`,
    }));
    rollBack.addCatch(failed, { resultPath: '$.rollbackFailure' });
    rollBack.next(halted);
    const automatic = `$.plan.waves[${index}].rollback`;
    return new sfn.Choice(this, stateName('Roll back?', index, wave.name))
      .when(sfn.Condition.and(sfn.Condition.isPresent(automatic), sfn.Condition.stringEquals(automatic, 'automatic')), rollBack)
      .otherwise(halted);
  }

  /**
   * Before a wave with `approval: required` (a resumed run's skipped wave, with no clusters, needs
   * none): `Approve N <wave>` invokes publish-report with the task token and waits up to the wave's
   * approvalTimeout (engine/steps/approval-request-step.ts stores the token and creates the check run
   * with the "Approve wave" button); the webhook answers it with SendTaskSuccess {approvedBy, at}
   * (approval-grant-step.ts); `Record approval` keeps who approved for the report; then the change
   * windows. A timeout halts the rollout before the wave as rollout.approval-timeout, report published.
   */
  private approvalGate(props: StateMachinesProps, index: number, wave: WaveSpec, timeoutSeconds: number, next: sfn.IChainable, held: sfn.IChainable): sfn.IChainable {
    const approve = retryTransientFailures(new tasks.LambdaInvoke(this, stateName('Approve', index, wave.name), {
      lambdaFunction: props.publishReport,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({ 'approval': 'request', 'commit.$': '$.plan.commit', 'wave': wave.name, 'token': sfn.JsonPath.taskToken, timeoutSeconds }),
      taskTimeout: sfn.Timeout.duration(Duration.seconds(timeoutSeconds)),
      resultPath: '$.approval',
    }));
    const timedOut = new sfn.Pass(this, stateName('Approval timed out', index, wave.name), {
      parameters: {
        Error: APPROVAL_TIMEOUT,
        Cause: `wave ${wave.name}: nobody approved it within ${formatSeconds(timeoutSeconds)} (approvalTimeout in fleet.yaml); the rollout halted before the wave and changed nothing in it; to go on, start the rollout again with fromWave ${wave.name} (docs/run-in-aws.md) and approve in time`,
      },
      resultPath: '$.failure',
    });
    // the check run says the wait is over and the token goes, then the halted rollout is published
    const expire = this.invoke(stateName('Expire approval', index, wave.name), props.publishReport, { 'approval': 'expired', 'commit.$': '$.plan.commit', 'wave': wave.name }, sfn.JsonPath.DISCARD);
    expire.addCatch(held, { resultPath: '$.expireFailure' });
    timedOut.next(expire).next(held);
    approve.addCatch(timedOut, { errors: ['States.Timeout'], resultPath: '$.failure' });
    approve.addCatch(held, { resultPath: '$.failure' });
    const record = this.invoke(stateName('Record approval', index, wave.name), props.publishReport, {
      'approval': 'granted', 'commit.$': '$.plan.commit', 'wave': wave.name, 'approvedBy.$': '$.approval.approvedBy', 'at.$': '$.approval.at',
    }, sfn.JsonPath.DISCARD);
    record.addCatch(held, { resultPath: '$.failure' });
    approve.next(record).next(next);
    return new sfn.Choice(this, stateName('Needs approval?', index, wave.name))
      .when(sfn.Condition.numberEquals(`$.plan.waves[${index}].clusterCount`, 0), next)
      .otherwise(approve);
  }

  private definePlan(props: StateMachinesProps): sfn.IChainable {
    const plan = this.invoke('Load and validate', props.planWaves, {
      'kind': 'plan',
      'commit.$': '$.commit',
      'expectedWaves': props.waves.map((wave) => wave.name),
      // the whole input: the webhook's fork, headRepository and baseRef decide how far the PR's
      // config is trusted (functions/engine/pull-request-trust.ts)
      'execution.$': '$',
    }, '$.plan');
    const publish = this.invoke('Publish plan', props.publishReport, {
      'kind': 'plan',
      'commit.$': '$.plan.commit',
      'pullRequest.$': '$.pullRequest',
      'startedAt.$': '$$.Execution.StartTime',
    }, '$.published');
    // each cluster's plan goes to the run store (engine/steps/reconcile-step.ts); Publish plan reads it there
    const clusters = this.distributedMap('Plan clusters', props.runBucket, {
      itemsKeyPath: '$.plan.clustersKey',
      itemSelector: { 'phase': 'plan', 'kind': 'plan', 'commit.$': '$.plan.commit', 'cluster.$': '$$.Map.Item.Value' },
      maxConcurrency: props.planConcurrency,
      resultPath: sfn.JsonPath.DISCARD,
    });
    clusters.itemProcessor(retryTransientFailures(new tasks.LambdaInvoke(this, 'Plan cluster', { lambdaFunction: props.reconcileCluster, payloadResponseOnly: true, outputPath: '$.outcome' })));
    const done = new sfn.Succeed(this, 'Plan published');
    publish.next(done);
    clusters.next(publish);
    return plan.next(new sfn.Choice(this, 'Config valid?')
      .when(sfn.Condition.booleanEquals('$.plan.valid', false), publish)
      .otherwise(clusters));
  }

  /**
   * Drift: Load branch head (takes the fleet lease for the scan, stores the clusters to scan), then
   * a Distributed Map with one child execution per cluster: drift-scan scans that one cluster
   * (correcting where policy is enforce, inside its change windows) and stores its result at once,
   * so a scan that stops half-way has lost nothing it did. Publish drift assembles the report from
   * the stored results; a cluster whose child failed or timed out is reported as an error, never
   * dropped. The Map tolerates every child failure; if it fails as a whole, the report is still
   * published from what was stored, then the execution fails (the DriftScanFailed alarm).
   */
  private defineDrift(props: StateMachinesProps): sfn.IChainable {
    const plan = this.invoke('Load branch head', props.planWaves, {
      'kind': 'drift',
      'expectedWaves': props.waves.map((wave) => wave.name),
      // the scan's name in the fleet lease and in the run store (functions/engine/workflow-lease.ts)
      'startedAt.$': '$$.Execution.StartTime',
    }, '$.plan');
    const scan = this.distributedMap('Scan clusters', props.runBucket, {
      itemsKeyPath: '$.plan.clustersKey',
      itemSelector: { 'commit.$': '$.plan.commit', 'scan.$': '$.plan.scan', 'cluster.$': '$$.Map.Item.Value.cluster', 'wave.$': '$$.Map.Item.Value.wave' },
      maxConcurrency: props.driftConcurrency,
      toleratedFailurePercentage: 100,
      resultPath: '$.scanned',
    });
    // a child answers only its cluster's state: the report is assembled from the run store
    scan.itemProcessor(retryTransientFailures(new tasks.LambdaInvoke(this, 'Scan cluster', { lambdaFunction: props.driftScan, payloadResponseOnly: true, outputPath: '$.state' })));
    const publish = (id: string, extra: Record<string, unknown>): tasks.LambdaInvoke => this.invoke(id, props.publishReport, {
      'kind': 'drift', 'commit.$': '$.plan.commit', 'scan.$': '$.plan.scan', 'startedAt.$': '$$.Execution.StartTime', ...extra,
    }, '$.published');
    const partial = publish('Publish partial drift', { stopped: { 'error.$': '$.failure.Error', 'cause.$': '$.failure.Cause' } });
    partial.next(new sfn.Fail(this, 'Drift scan stopped', { errorPath: '$.failure.Error', causePath: '$.failure.Cause' }));
    scan.addCatch(partial, { resultPath: '$.failure' });
    return plan.next(scan).next(publish('Publish drift', {})).next(new sfn.Succeed(this, 'Drift published'));
  }
}
