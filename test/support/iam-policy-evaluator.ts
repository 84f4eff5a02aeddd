/**
 * A small evaluator of IAM identity policies, enough to check the calls regops makes against the
 * roles the stack synthesizes: Allow/Deny statements, Action and Resource patterns with `*` and
 * `?` (IAM's wildcards, case-insensitive for actions). Conditions are not evaluated: a statement
 * with a Condition is refused, so nothing is silently taken as allowed.
 */
export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: unknown;
}

function toRegExp(pattern: string, flags = ''): RegExp {
  const body = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, flags);
}

function matches(statement: PolicyStatement, action: string, resource: string): boolean {
  if (statement.Condition !== undefined) throw new Error(`iam-policy-evaluator: statement ${JSON.stringify(statement)} has a Condition, which this evaluator does not evaluate`);
  const actions = [statement.Action].flat();
  const resources = [statement.Resource].flat();
  return actions.some((a) => toRegExp(a, 'i').test(action)) && resources.some((r) => toRegExp(r).test(resource));
}

/** 'allowed' when an Allow matches and no Deny does (IAM's evaluation for one identity policy set). */
export function evaluatePolicies(statements: PolicyStatement[], action: string, resource: string): 'allowed' | 'denied' | 'implicitly-denied' {
  if (statements.some((s) => s.Effect === 'Deny' && matches(s, action, resource))) return 'denied';
  return statements.some((s) => s.Effect === 'Allow' && matches(s, action, resource)) ? 'allowed' : 'implicitly-denied';
}

/** Resolves the CloudFormation tokens of a synthesized policy: Fn::Join, Refs to pseudo parameters, and the named logical ids. */
export function resolveTokens(value: unknown, names: { partition: string; region: string; account: string; resources: (logicalId: string, attribute?: string) => string }): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveTokens(v, names));
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => String(resolveTokens(p, names))).join(separator);
  }
  if ('Ref' in object) {
    const ref = String(object['Ref']);
    if (ref === 'AWS::Partition') return names.partition;
    if (ref === 'AWS::Region') return names.region;
    if (ref === 'AWS::AccountId') return names.account;
    return names.resources(ref);
  }
  if ('Fn::GetAtt' in object) {
    const [id, attribute] = object['Fn::GetAtt'] as [string, string];
    return names.resources(id, attribute);
  }
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, resolveTokens(v, names)]));
}
