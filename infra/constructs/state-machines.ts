import { Duration, Names } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { retriedStepErrorNames } from '../../functions/engine/errors.ts';

/** A wave as known when the stack is synthesized (from fleet.yaml); clusters are resolved per run. */
export interface WaveSpec {
  name: string;
  maxConcurrency: number;
  maxFailures: number;
  /** Clusters matching the wave at synth time; decides inline vs Distributed Map. */
  expectedClusters: number;
}

export interface StateMachinesProps {
  waves: WaveSpec[];
  /** Waves with more clusters than this (or with maxFailures > 0) run as a Distributed Map. */
  distributedMapThreshold: number;
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

/** Step Functions state names must be unique in a definition and at most 80 characters. */
function stateName(prefix: string, index: number, wave: string): string {
  return `${prefix} ${index + 1} ${wave}`.slice(0, 80);
}

/**
 * The three workflows. Rollout: PlanWaves, then per wave a Map over its clusters (MaxConcurrency =
 * the wave's maxConcurrency; a Distributed Map with ToleratedFailureCount = maxFailures when the
 * wave tolerates failures or is large; an inline Map fails on the first failed cluster, which is
 * maxFailures 0), a bake Wait between waves, halt on failure; before each wave its change windows
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
      };
      // each iteration answers its outcome; the wave's outcomes decide whether to bake
      const distributed = wave.maxFailures > 0 || wave.expectedClusters > props.distributedMapThreshold;
      const map = distributed
        ? new sfn.DistributedMap(this, stateName('Wave', index, wave.name), {
          itemsPath: `$.plan.waves[${index}].clusters`,
          itemSelector,
          maxConcurrency: wave.maxConcurrency,
          toleratedFailureCount: wave.maxFailures,
          mapExecutionType: sfn.StateMachineType.STANDARD,
          resultPath: '$.lastWave',
        })
        : new sfn.Map(this, stateName('Wave', index, wave.name), {
          itemsPath: `$.plan.waves[${index}].clusters`,
          itemSelector,
          maxConcurrency: wave.maxConcurrency,
          resultPath: '$.lastWave',
        });
      map.itemProcessor(this.reconcileLoop(label, props.reconcileCluster));
      const halted = publish(stateName('Publish halted rollout', index, wave.name), {
        status: 'failed',
        halted: { 'wave': wave.name, 'error.$': '$.failure.Error', 'cause.$': '$.failure.Cause' },
      });
      halted.next(halt);
      map.addCatch(halted, { resultPath: '$.failure' });
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
      check.addCatch(publish(stateName('Publish held rollout', index, wave.name), {
        status: 'failed',
        halted: { 'wave': wave.name, 'error.$': '$.failure.Error', 'cause.$': '$.failure.Cause' },
      }).next(new sfn.Fail(this, stateName('Rollout held', index, wave.name), { errorPath: '$.failure.Error', causePath: '$.failure.Cause' })), { resultPath: '$.failure' });
      const hold = new sfn.Wait(this, stateName('Wait for window', index, wave.name), { time: sfn.WaitTime.timestampPath('$.window.nextOpen') });
      hold.next(check);
      check.next(new sfn.Choice(this, stateName('Window open?', index, wave.name))
        .when(sfn.Condition.booleanEquals('$.window.open', false), hold)
        .otherwise(map));
      return check;
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
      // bake only after a wave that changed something, as the CLI does (engine/rollout.ts)
      const changed = new sfn.Pass(this, stateName('Did wave change', index, wave.name), {
        parameters: { 'changed.$': "States.ArrayContains($.lastWave, 'succeeded')" },
        resultPath: '$.lastWaveChanged',
      });
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
    const clusters = new sfn.Map(this, 'Plan clusters', {
      itemsPath: '$.plan.clusters',
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

  private defineDrift(props: StateMachinesProps): sfn.IChainable {
    const plan = this.invoke('Load branch head', props.planWaves, { 'kind': 'drift', 'expectedWaves': props.waves.map((wave) => wave.name) }, '$.plan');
    const scan = this.invoke('Scan fleet', props.driftScan, { 'commit.$': '$.plan.commit' }, '$.drift');
    const publish = this.invoke('Publish drift', props.publishReport, { 'kind': 'drift', 'commit.$': '$.plan.commit', 'reportKey.$': '$.drift.reportKey' }, '$.published');
    return plan.next(scan).next(publish).next(new sfn.Succeed(this, 'Drift published'));
  }
}
