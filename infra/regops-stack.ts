import { ArnFormat, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { bundleHandler, type HandlerName } from './bundle.ts';
import { RegopsFunction } from './constructs/regops-function.ts';
import { ReportsBucket } from './constructs/reports-bucket.ts';
import { RegopsStateMachines, type WaveSpec } from './constructs/state-machines.ts';
import { acknowledgeAcceptedFindings } from './nag-acknowledgements.ts';

/** Private API servers: the cluster-facing functions run here; endpoints replace a NAT. */
export interface RegopsNetworkProps {
  vpcId: string;
  availabilityZones: string[];
  subnetIds: string[];
  /** Route tables of those subnets, for the S3 gateway endpoint. */
  routeTableIds: string[];
  securityGroupIds: string[];
  /** Create VPC endpoints for S3, Secrets Manager and SSM (default true). */
  createEndpoints: boolean;
}

export interface RegopsStackProps extends StackProps {
  /** The config repository, `owner/name`. */
  repository: string;
  /** Pushes to this branch roll out. */
  branch: string;
  /** EventBridge Scheduler expression for the drift scan: `rate(1 hour)`, `cron(0 * * * ? *)`. */
  driftSchedule: string;
  webhookSecretName: string;
  githubTokenSecretName: string;
  /** Connection secrets are `<prefix><cluster>` holding {server, caData, token, proxyUrl?}. */
  clusterSecretPrefix: string;
  /** Waves from fleet.yaml at synth time (names must match at run time; plan-waves checks). */
  waves: WaveSpec[];
  maxClusters: number;
  driftConcurrency: number;
  reportHistoryDays: number;
  logRetentionDays: logs.RetentionDays;
  /** GitHub Enterprise API root (`https://github.example.com/api/v3`); default api.github.com. */
  githubApiUrl?: string;
  /** Registry bucket names regops may provision (S3 name patterns; infra/registry-bucket-patterns.ts
   *  derives them from the fleet's storage.yaml files); none: no bucket-admin rights at all. */
  registryBucketPatterns: string[];
  network?: RegopsNetworkProps;
  /** Lambda code per handler; default: bundle with esbuild (infra/bundle.ts). Tests pass prebuilt code. */
  functionCode?: (name: HandlerName) => lambda.Code;
}

/** regops in one stack: webhook → rollout/plan state machines, drift schedule, reports bucket, alarms. */
export class RegopsStack extends Stack {
  readonly functions: Record<HandlerName, RegopsFunction>;
  readonly machines: RegopsStateMachines;
  readonly reportsBucket: ReportsBucket;
  readonly webhookUrl: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: RegopsStackProps) {
    super(scope, id, props);
    const code = props.functionCode ?? ((name: HandlerName) => lambda.Code.fromAsset(bundleHandler(name).dir));
    const reports = new ReportsBucket(this, 'Reports', { historyDays: props.reportHistoryDays });
    this.reportsBucket = reports;
    // the scheduler's undelivered drift starts land here (it invokes asynchronously); the functions
    // are invoked synchronously (Step Functions, the Function URL), so a Lambda DLQ would never fire:
    // their failures surface in the workflow (Catch) and in each function's Errors alarm
    const deadLetters = new sqs.Queue(this, 'DeadLetters', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    const alarms = new sns.Topic(this, 'Alarms', { enforceSSL: true, masterKey: this.createAlarmsKey() });
    const network = props.network === undefined ? undefined : this.createNetwork(props.network);

    const secretArn = (name: string): string => this.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const common = {
      REGOPS_REPOSITORY: props.repository,
      REGOPS_BRANCH: props.branch,
    };
    // the step functions keep reports and run state there; the webhook reads only approval records (below)
    const bucket = { REPORTS_BUCKET: reports.bucket.bucketName };
    const planConcurrency = 20;
    const make = (name: HandlerName, environment: Record<string, string>, options: { timeout: Duration; memorySize: number; inVpc: boolean; reservedConcurrency?: number }): RegopsFunction =>
      new RegopsFunction(this, toId(name), {
        handlerName: name,
        code: code(name),
        environment: { ...common, ...environment },
        timeout: options.timeout,
        memorySize: options.memorySize,
        ...(options.reservedConcurrency === undefined ? {} : { reservedConcurrency: options.reservedConcurrency }),
        logRetention: props.logRetentionDays,
        alarmTopic: alarms,
        ...(options.inVpc && network !== undefined ? { network } : {}),
      });
    const githubToken = { GITHUB_TOKEN_SECRET_ID: props.githubTokenSecretName, ...(props.githubApiUrl === undefined ? {} : { GITHUB_API_URL: props.githubApiUrl }) };
    const fns: Record<HandlerName, RegopsFunction> = {
      // reserved concurrency: a flood of webhook deliveries cannot take the account's pool (10 is far
      // above GitHub's delivery rate for one repository); excess answers 429 and GitHub shows it
      // the bucket and the GitHub token for approval gates only (a press of "Approve wave": IAM below)
      'github-webhook': make('github-webhook', { WEBHOOK_SECRET_ID: props.webhookSecretName, ...bucket, ...githubToken }, { timeout: Duration.seconds(10), memorySize: 256, inVpc: false, reservedConcurrency: 10 }),
      'plan-waves': make('plan-waves', { ...bucket, ...githubToken, REGOPS_MAX_CLUSTERS: String(props.maxClusters) }, { timeout: Duration.minutes(2), memorySize: 512, inVpc: false }),
      // enough for the widest wave and a pull-request plan at once; beyond it Lambda throttles and the
      // state machine retries Lambda.TooManyRequestsException (infra/constructs/state-machines.ts)
      'reconcile-cluster': make('reconcile-cluster', { ...bucket, CLUSTER_SECRET_PREFIX: props.clusterSecretPrefix }, { timeout: Duration.minutes(5), memorySize: 512, inVpc: true, reservedConcurrency: reconcileConcurrency(props.waves, planConcurrency) }),
      // one cluster per invocation (a child of the drift workflow's Map, whose MaxConcurrency is
      // regops:driftConcurrency): a correction's health gate (5 min) fits its 15 minutes
      'drift-scan': make('drift-scan', { ...bucket, CLUSTER_SECRET_PREFIX: props.clusterSecretPrefix }, { timeout: Duration.minutes(15), memorySize: 1024, inVpc: true }),
      'publish-report': make('publish-report', { ...bucket, ...githubToken }, { timeout: Duration.minutes(5), memorySize: 512, inVpc: false }),
    };
    this.functions = fns;

    // Least privilege: each function reads only its own secrets (Secrets Manager appends -XXXXXX to ARNs).
    const readSecrets = (fn: RegopsFunction, names: string[]): void => {
      fn.role.addToPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: names.map((name) => `${secretArn(name)}-??????`) }));
    };
    readSecrets(fns['github-webhook'], [props.webhookSecretName, props.githubTokenSecretName]);
    readSecrets(fns['plan-waves'], [props.githubTokenSecretName]);
    readSecrets(fns['publish-report'], [props.githubTokenSecretName]);
    for (const clusterFacing of [fns['reconcile-cluster'], fns['drift-scan']]) {
      // connection secrets (CLUSTER_SECRET_PREFIX, read by wiring/cluster-access.ts), and the storage
      // credentials' default secrets regops/<cluster>/registry-<backend> for s3, gcs, azure, swift and
      // ibmcos (core/storage-credentials.ts, config/README.md)
      clusterFacing.role.addToPolicy(new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [`${secretArn(props.clusterSecretPrefix)}*`, `${secretArn('regops/')}*/registry-*`],
      }));
      // storage.yaml `ssm:` references (adapters/secrets/ssm-source.ts: GetParameter WithDecryption),
      // limited to parameters under /regops/ as config/README.md names them
      clusterFacing.role.addToPolicy(new iam.PolicyStatement({
        actions: ['ssm:GetParameter'],
        resources: [this.formatArn({ service: 'ssm', resource: 'parameter', resourceName: 'regops/*' })],
      }));
      if (props.registryBucketPatterns.length > 0) {
        clusterFacing.role.addToPolicy(new iam.PolicyStatement({
          // exactly the calls of adapters/s3/s3-bucket-store.ts (HeadBucket needs s3:ListBucket); never a delete of a bucket
          actions: ['s3:CreateBucket', 's3:ListBucket', 's3:GetBucketLocation', 's3:GetBucketTagging', 's3:PutBucketTagging', 's3:GetEncryptionConfiguration', 's3:PutEncryptionConfiguration', 's3:GetBucketPublicAccessBlock', 's3:PutBucketPublicAccessBlock', 's3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration', 's3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
          resources: props.registryBucketPatterns.map((pattern) => `arn:${this.partition}:s3:::${pattern}`),
        }));
      }
      // whatever regops:registryBucketPattern allows, never the stack's own buckets: only object
      // reads and writes of the reports bucket (grantReadWrite below), no tagging, policy or encryption
      clusterFacing.role.addToPolicy(new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        actions: ['s3:CreateBucket', 's3:PutBucket*', 's3:DeleteBucket*', 's3:PutEncryptionConfiguration', 's3:PutLifecycleConfiguration'],
        resources: [reports.bucket.bucketArn, reports.accessLogs.bucketArn],
      }));
      reports.bucket.grantReadWrite(clusterFacing.role);
    }
    for (const fn of [fns['plan-waves'], fns['publish-report']]) {
      reports.bucket.grantReadWrite(fn.role);
    }

    this.machines = new RegopsStateMachines(this, 'Workflows', {
      waves: props.waves,
      runBucket: reports.bucket,
      driftConcurrency: props.driftConcurrency,
      planConcurrency,
      planWaves: fns['plan-waves'].fn,
      reconcileCluster: fns['reconcile-cluster'].fn,
      driftScan: fns['drift-scan'].fn,
      publishReport: fns['publish-report'].fn,
      logRetention: props.logRetentionDays,
    });
    const webhook = fns['github-webhook'];
    webhook.fn.addEnvironment('ROLLOUT_STATE_MACHINE_ARN', this.machines.rollout.stateMachineArn);
    webhook.fn.addEnvironment('PLAN_STATE_MACHINE_ARN', this.machines.plan.stateMachineArn);
    this.machines.rollout.grantStartExecution(webhook.role);
    this.machines.plan.grantStartExecution(webhook.role);
    // approval gates (functions/engine/steps/approval-grant-step.ts): the webhook reads the waiting
    // token from the run store's approval records only (never reports or other run state) and answers
    // it on the rollout state machine only; no other function may answer a task token
    webhook.role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [reports.bucket.arnForObjects('runs/rollout/*/approvals/*')] }));
    webhook.role.addToPolicy(new iam.PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [this.machines.rollout.stateMachineArn] }));
    // GitHub cannot sign with SigV4: the function verifies X-Hub-Signature-256 itself and answers 401.
    this.webhookUrl = webhook.fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });

    this.createDriftSchedule(props, deadLetters);
    this.createRolloutAlarms(alarms);
    new CfnOutput(this, 'WebhookUrl', { value: this.webhookUrl.url, description: 'GitHub webhook payload URL (content type application/json)' });
    new CfnOutput(this, 'ReportsBucketName', { value: reports.bucket.bucketName });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topicArn });
    // docs/run-in-aws.md starts executions by hand with these (resume a halted rollout at a wave)
    new CfnOutput(this, 'RolloutStateMachineArn', { value: this.machines.rollout.stateMachineArn, description: 'start a rollout by hand: aws stepfunctions start-execution --state-machine-arn …' });
    new CfnOutput(this, 'PlanStateMachineArn', { value: this.machines.plan.stateMachineArn });
    new CfnOutput(this, 'DriftStateMachineArn', { value: this.machines.drift.stateMachineArn, description: 'run a drift scan now' });
    acknowledgeAcceptedFindings(this);
  }

  /**
   * CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed alias/aws/sns key
   * (its policy cannot be changed to let cloudwatch.amazonaws.com use it), so the alarm topic
   * gets a customer-managed key that does.
   */
  private createAlarmsKey(): kms.Key {
    const key = new kms.Key(this, 'AlarmsKey', { enableKeyRotation: true, description: 'regops alarm topic: lets CloudWatch alarms publish' });
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
    }));
    return key;
  }

  private createNetwork(props: RegopsNetworkProps): { vpc: ec2.IVpc; subnets: ec2.ISubnet[]; securityGroups: ec2.ISecurityGroup[] } {
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: props.vpcId,
      availabilityZones: props.availabilityZones,
      privateSubnetIds: props.subnetIds,
      privateSubnetRouteTableIds: props.routeTableIds,
    });
    const subnets = props.subnetIds.map((subnetId, index) => ec2.Subnet.fromSubnetAttributes(this, `Subnet${index}`, {
      subnetId,
      ...(props.routeTableIds[index] === undefined ? {} : { routeTableId: props.routeTableIds[index] }),
      ...(props.availabilityZones[index] === undefined ? {} : { availabilityZone: props.availabilityZones[index] }),
    }));
    const securityGroups = props.securityGroupIds.map((id, index) => ec2.SecurityGroup.fromSecurityGroupId(this, `SecurityGroup${index}`, id));
    if (props.createEndpoints) {
      vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnets }] });
      // what the functions in the VPC (reconcile-cluster, drift-scan) call: Secrets Manager and SSM
      // (secret references). Not Step Functions (only the webhook starts executions, outside the
      // VPC) and not CloudWatch Logs (the Lambda service ships stdout, not the function).
      const interfaces: Array<[string, ec2.InterfaceVpcEndpointAwsService]> = [
        ['SecretsManagerEndpoint', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER],
        ['SsmEndpoint', ec2.InterfaceVpcEndpointAwsService.SSM],
      ];
      for (const [id, service] of interfaces) {
        // open: false — the given security groups must allow HTTPS among themselves (docs/run-in-aws.md)
        vpc.addInterfaceEndpoint(id, { service, subnets: { subnets }, securityGroups, privateDnsEnabled: true, open: false });
      }
    }
    return { vpc, subnets, securityGroups };
  }

  private createDriftSchedule(props: RegopsStackProps, deadLetters: sqs.Queue): void {
    const role = new iam.Role(this, 'DriftScheduleRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
    this.machines.drift.grantStartExecution(role);
    deadLetters.grantSendMessages(role);
    new scheduler.CfnSchedule(this, 'DriftSchedule', {
      description: 'regops drift scan of the fleet',
      scheduleExpression: props.driftSchedule,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: this.machines.drift.stateMachineArn,
        roleArn: role.roleArn,
        input: JSON.stringify({ trigger: 'schedule' }),
        deadLetterConfig: { arn: deadLetters.queueArn },
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
      },
    });
  }

  private createRolloutAlarms(topic: sns.ITopic): void {
    const period = Duration.minutes(5);
    const alarms: Array<[string, string, cloudwatch.IMetric]> = [
      ['RolloutFailedAlarm', 'regops: a rollout failed or halted', this.machines.rollout.metricFailed({ period })],
      ['RolloutTimedOutAlarm', 'regops: a rollout timed out', this.machines.rollout.metricTimedOut({ period })],
      ['DriftScanFailedAlarm', 'regops: a drift scan failed', this.machines.drift.metricFailed({ period })],
      ['PlanFailedAlarm', 'regops: a pull-request plan failed', this.machines.plan.metricFailed({ period })],
    ];
    for (const [id, description, metric] of alarms) {
      const alarm = new cloudwatch.Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new cwActions.SnsAction(topic));
    }
  }
}

/** Reserved concurrency of reconcile-cluster: the widest wave's maxConcurrency plus a pull-request plan's. */
export function reconcileConcurrency(waves: WaveSpec[], planConcurrency: number): number {
  return Math.max(1, ...waves.map((wave) => wave.maxConcurrency)) + planConcurrency;
}

function toId(name: string): string {
  return name.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
