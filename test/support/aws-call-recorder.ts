/**
 * Names the IAM action and resource of an AWS SDK request as it leaves the client (the request
 * handler sees every call): JSON protocols by X-Amz-Target (Secrets Manager, SSM), S3 by method,
 * path-style bucket/key and sub-resource. A request it cannot name throws: an unknown call must
 * be added here, never skipped.
 */
export interface AwsCall {
  action: string;
  resource: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query?: Record<string, unknown>;
  headers: Record<string, string>;
  /** The body of JSON-protocol requests, as text. */
  body?: string;
}

const bucketSubresources: Record<string, Record<string, string>> = {
  location: { GET: 's3:GetBucketLocation' },
  tagging: { GET: 's3:GetBucketTagging', PUT: 's3:PutBucketTagging' },
  encryption: { GET: 's3:GetEncryptionConfiguration', PUT: 's3:PutEncryptionConfiguration' },
  publicAccessBlock: { GET: 's3:GetBucketPublicAccessBlock', PUT: 's3:PutBucketPublicAccessBlock' },
  lifecycle: { GET: 's3:GetLifecycleConfiguration', PUT: 's3:PutLifecycleConfiguration' },
  policy: { GET: 's3:GetBucketPolicy', PUT: 's3:PutBucketPolicy', DELETE: 's3:DeleteBucketPolicy' },
  'list-type': { GET: 's3:ListBucket' },
};
const objectActions: Record<string, string> = { GET: 's3:GetObject', HEAD: 's3:GetObject', PUT: 's3:PutObject', DELETE: 's3:DeleteObject' };

/** The IAM action and resource ARN of one request; `arn` builds ARNs in the account the stack is deployed to. */
export function nameAwsCall(request: RecordedRequest, arn: { region: string; account: string }, pathPrefix = ''): AwsCall {
  const header = (name: string) => Object.entries(request.headers).find(([k]) => k.toLowerCase() === name)?.[1];
  const target = header('x-amz-target');
  if (target !== undefined) {
    if (typeof request.body !== 'string') throw new Error(`aws-call-recorder: ${target}: the request body was not recorded as text`);
    const body = JSON.parse(request.body) as Record<string, string>;
    if (target === 'secretsmanager.GetSecretValue') return { action: 'secretsmanager:GetSecretValue', resource: `arn:aws:secretsmanager:${arn.region}:${arn.account}:secret:${body['SecretId'] ?? ''}-AbCdEf` };
    if (target === 'AmazonSSM.GetParameter') return { action: 'ssm:GetParameter', resource: `arn:aws:ssm:${arn.region}:${arn.account}:parameter/${(body['Name'] ?? '').replace(/^\//, '')}` };
    throw new Error(`aws-call-recorder: no IAM action known for X-Amz-Target ${target}`);
  }
  // pathPrefix: the endpoint's own path (the sandbox serves AWS under /aws)
  const path = pathPrefix !== '' && request.path.startsWith(`${pathPrefix}/`) ? request.path.slice(pathPrefix.length) : request.path;
  const [bucket = '', ...keyParts] = decodeURIComponent(path).replace(/^\//, '').split('/');
  const key = keyParts.join('/');
  if (key !== '') {
    const action = objectActions[request.method];
    if (action === undefined) throw new Error(`aws-call-recorder: no IAM action known for S3 ${request.method} on an object`);
    return { action, resource: `arn:aws:s3:::${bucket}/${key}` };
  }
  const sub = Object.keys(request.query ?? {}).find((q) => bucketSubresources[q] !== undefined);
  const action = sub === undefined ? { HEAD: 's3:ListBucket', PUT: 's3:CreateBucket', GET: 's3:ListBucket' }[request.method] : bucketSubresources[sub]?.[request.method];
  if (action === undefined) throw new Error(`aws-call-recorder: no IAM action known for S3 ${request.method} /${bucket}?${Object.keys(request.query ?? {}).join('&')}`);
  return { action, resource: `arn:aws:s3:::${bucket}` };
}
