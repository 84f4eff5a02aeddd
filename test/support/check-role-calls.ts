/**
 * IAM from the calls made: each AWS request a function's clients sent (aws-call-recorder.ts) checked
 * against the policies of that function's role in the synthesized template (iam-policy-evaluator.ts),
 * with the reports bucket standing for the stack's ReportsBucket. Used by the serverless e2e tests.
 */
import { nameAwsCall, type AwsCall, type RecordedRequest } from './aws-call-recorder.ts';
import { evaluatePolicies, resolveTokens, type PolicyStatement } from './iam-policy-evaluator.ts';

export interface RoleCallCheck {
  /** Every call, named as IAM names it, with the function that made it. */
  calls: Array<AwsCall & { fn: string }>;
  /** `<function> <action> <resource>` of each call its role does not allow, once each. */
  refused: string[];
}

/** Checks `requests` (function name → request) against the roles of `template`; `endpointPath` is the AWS emulator's path prefix. */
export function checkRoleCalls(
  template: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> },
  requests: ReadonlyArray<{ fn: string; request: RecordedRequest }>,
  options: { bucket: string; endpointPath: string; functions: readonly string[] },
): RoleCallCheck {
  // a function's role is <PascalCaseName>Role…: github-webhook → GithubWebhookRole
  const fnOfRole = (roleRef: string): string | undefined => options.functions
    .find((name) => roleRef.startsWith(`${name.split('-').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('')}Role`));
  const names = { partition: 'aws', region: 'eu-west-1', account: '123456789012', resources: (id: string, attribute?: string) => (id.startsWith('ReportsBucket') ? (attribute === 'Arn' ? `arn:aws:s3:::${options.bucket}` : options.bucket) : `${id}.${attribute ?? 'Ref'}`) };
  const statements = new Map<string, PolicyStatement[]>();
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    const properties = resolveTokens(resource.Properties, names) as { PolicyDocument: { Statement: PolicyStatement[] }; Roles: string[] };
    for (const role of properties.Roles) {
      const fn = fnOfRole(role);
      if (fn !== undefined) statements.set(fn, [...(statements.get(fn) ?? []), ...properties.PolicyDocument.Statement]);
    }
  }
  const calls = requests.map(({ fn, request }) => ({ fn, ...nameAwsCall(request, names, options.endpointPath) }));
  const refused = calls.filter((c) => evaluatePolicies(statements.get(c.fn) ?? [], c.action, c.resource) !== 'allowed');
  return { calls, refused: [...new Set(refused.map((c) => `${c.fn} ${c.action} ${c.resource}`))] };
}
