/**
 * cdk-nag AwsSolutions findings this stack accepts, each with its reason. cdk-nag 3 acknowledges
 * a finding by its exact id (`AwsSolutions-IAM5[Resource::…]`, docs/toolchain-facts.md "CDK"), and those ids
 * embed generated logical ids, so the stack runs the pack once over itself and acknowledges the
 * findings a rule below covers; anything not covered stays an error at synth.
 */
import { Validations, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

interface AcceptedFinding {
  /** Rule id with its finding, e.g. `AwsSolutions-IAM5[Resource::*]`. */
  rule: RegExp;
  /** Construct path of the violating resource. */
  path: RegExp;
  reason: string;
}

const accepted: AcceptedFinding[] = [
  { rule: /^AwsSolutions-IAM5\[Resource::\*\]$/, path: /(Role|StateMachine|Rollout|Plan|Drift).*\/DefaultPolicy\//, reason: 'X-Ray trace writes, log delivery and Lambda-in-VPC network interface actions accept no resource scoping' },
  { rule: /^AwsSolutions-IAM5\[Resource::arn:.*:ssm:.*:parameter\/regops\/\*\]$/, path: /(ReconcileCluster|DriftScan)\/Role\//, reason: 'storage.yaml ssm: references name parameters under /regops/ per cluster (config/README.md); the names live in Git' },
  { rule: /^AwsSolutions-IAM5\[Resource::arn:.*secretsmanager.*\]$/, path: /(ReconcileCluster|DriftScan)\/Role\//, reason: 'one connection secret per cluster under the cluster prefix, and the registry S3 credentials regops/<cluster>/registry-s3 (docs/interfaces.md §1): the cluster list lives in Git' },
  { rule: /^AwsSolutions-IAM5\[Resource::(arn:.*:s3:::.*|<Reports.*\.Arn>\/\*)\]$/, path: /(ReconcileCluster|DriftScan|PlanWaves|PublishReport)\/Role\//, reason: 'report keys are per run and per cluster under the reports bucket; registry buckets are named in Git (narrow them with regops:registryBucketPattern)' },
  { rule: /^AwsSolutions-IAM5\[Action::s3:(GetObject|GetBucket|List|DeleteObject|Abort)\*\]$/, path: /\/Role\/DefaultPolicy\//, reason: 'CDK grantReadWrite on the reports bucket: object-level read/write only, scoped to that bucket' },
  { rule: /^AwsSolutions-IAM5\[Resource::<.*\.Arn>:\*\]$/, path: /Workflows\/(Rollout|Plan|Drift)\/Role\//, reason: 'Step Functions invokes the current and published versions of the regops functions (function ARN with :*)' },
  { rule: /^AwsSolutions-IAM5\[Resource::arn:.*:states:.*:execution:.*\]$/, path: /Workflows\/(Rollout|Plan|Drift)\/DistributedMapPolicy\//, reason: 'Distributed Map needs DescribeExecution/StopExecution on its own child executions, whose names are chosen at run time' },
  { rule: /^AwsSolutions-IAM5\[Resource::<Reports.*\.Arn>\/runs\/(map-results\/)?\*\]$/, path: /Workflows\/(Rollout|Plan|Drift)\/Role\/DefaultPolicy\//, reason: 'the Distributed Maps read their items from the run store (runs/, keys per run) and write their results under runs/map-results/<map run id>/ (ItemReader / ResultWriter)' },
  { rule: /^AwsSolutions-IAM5\[Resource::<Reports.*\.Arn>\/runs\/rollout\/\*\/approvals\/\*\]$/, path: /GithubWebhook\/Role\/DefaultPolicy\//, reason: 'a press of "Approve wave" reads the waiting approval record of its commit and wave (runs/rollout/<commit>/approvals/<wave>.json, functions/adapters/secrets/stored-approval-records.ts); commits are known only at run time' },
  { rule: /^AwsSolutions-SQS3$/, path: /\/DeadLetters\/Resource$/, reason: 'this queue is the dead-letter queue of the drift schedule (EventBridge Scheduler deadLetterConfig), a use cdk-nag does not see' },
  { rule: /^AwsSolutions-L1$/, path: /\/Function\/Resource$/, reason: 'nodejs22.x is the runtime this project targets (docs/toolchain-facts.md); raise it deliberately, not by a scanner' },
];

/** Runs the AwsSolutions pack over `stack` and acknowledges the accepted findings with their reasons. */
export function acknowledgeAcceptedFindings(stack: Stack): void {
  const report = new AwsSolutionsChecks().validateScope(stack);
  for (const violation of report.violations) {
    for (const resource of violation.violatingResources) {
      const match = accepted.find((entry) => entry.rule.test(violation.ruleName) && entry.path.test(resource.constructPath ?? ''));
      if (match === undefined) continue;
      const construct = stack.node.findAll().find((node) => node.node.path === resource.constructPath);
      if (construct !== undefined) Validations.of(construct).acknowledge({ id: violation.ruleName, reason: match.reason });
    }
  }
}
