import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { HandlerName } from '../bundle.ts';

export interface RegopsFunctionProps {
  handlerName: HandlerName;
  code: lambda.Code;
  environment: Record<string, string>;
  timeout: Duration;
  memorySize: number;
  /** Reserved concurrent executions (a cap and a guarantee); default none. */
  reservedConcurrency?: number;
  logRetention: logs.RetentionDays;
  alarmTopic: sns.ITopic;
  /** Private API servers: run in these subnets with these security groups. */
  network?: { vpc: ec2.IVpc; subnets: ec2.ISubnet[]; securityGroups: ec2.ISecurityGroup[] };
}

/**
 * One regops Lambda: nodejs22.x, ESM bundle, its own log group with retention, its own role with
 * only the permissions granted to it (no managed policies) and an alarm on errors. No DLQ: every
 * invocation is synchronous (Step Functions, the Function URL), where Lambda never uses one.
 */
export class RegopsFunction extends Construct {
  readonly fn: lambda.Function;
  readonly role: iam.Role;
  readonly errorsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: RegopsFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `regops ${props.handlerName}: writes its own logs, reads only what it is granted`,
    });
    logGroup.grantWrite(this.role);
    if (props.network !== undefined) {
      // The ENI calls of Lambda-in-VPC accept no resource scoping (AWSLambdaVPCAccessExecutionRole uses "*").
      this.role.addToPolicy(new iam.PolicyStatement({
        actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
        resources: ['*'],
      }));
    }
    this.fn = new lambda.Function(this, 'Function', {
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: props.code,
      role: this.role,
      timeout: props.timeout,
      memorySize: props.memorySize,
      ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrency }),
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: props.environment,
      description: `regops ${props.handlerName}`,
      ...(props.network === undefined ? {} : {
        vpc: props.network.vpc,
        vpcSubnets: { subnets: props.network.subnets },
        securityGroups: props.network.securityGroups,
      }),
    });
    this.errorsAlarm = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
      alarmDescription: `regops ${props.handlerName}: invocations failed`,
      metric: this.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.errorsAlarm.addAlarmAction(new cwActions.SnsAction(props.alarmTopic));
  }
}
