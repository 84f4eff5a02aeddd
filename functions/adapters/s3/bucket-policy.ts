/**
 * The one bucket-policy statement regops keeps: deny every S3 action over plain HTTP
 * (`aws:SecureTransport` false), the AWS-documented way to require TLS. Other statements a team
 * keeps in the same policy are left as they are.
 */

/** Sid of regops' statement, so it can be found and replaced without touching the others. */
export const DENY_INSECURE_TRANSPORT_SID = 'RegopsDenyInsecureTransport';

export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

export interface PolicyDocument {
  Version?: string;
  Statement?: PolicyStatement[] | PolicyStatement;
  [key: string]: unknown;
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function buildDenyInsecureTransport(bucket: string, region: string): PolicyStatement {
  const arn = `arn:${partitionOf(region)}:s3:::${bucket}`;
  return {
    Sid: DENY_INSECURE_TRANSPORT_SID,
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [arn, `${arn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

export function listStatements(policy: PolicyDocument): PolicyStatement[] {
  const statements = policy.Statement;
  if (statements === undefined) return [];
  return Array.isArray(statements) ? statements : [statements];
}

/** True when some statement denies all S3 actions whenever the request is not over TLS. */
export function deniesInsecureTransport(policy: PolicyDocument): boolean {
  return listStatements(policy).some((statement) => {
    const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
    const condition = statement.Condition?.['Bool']?.['aws:SecureTransport'];
    const secure = Array.isArray(condition) ? condition.map(String) : [String(condition)];
    return statement.Effect === 'Deny' && (actions.includes('s3:*') || actions.includes('*')) && secure.includes('false');
  });
}
