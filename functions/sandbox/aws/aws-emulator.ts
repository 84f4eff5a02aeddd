import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { JsonServiceError, parseJsonInput, sendJsonReply } from './json-reply.ts';
import { snapshotBucket } from './s3-bucket.ts';
import type { BucketSnapshot } from './s3-bucket.ts';
import { createBucketState, isValidBucketName } from './s3-bucket-operations.ts';
import type { NewBucketDefaults, S3Store } from './s3-call.ts';
import { handleS3Request } from './s3-handler.ts';
import { S3Error, sendS3Reply } from './s3-reply.ts';
import { SecretsManagerStore } from './secrets-manager.ts';
import { parseAmzDate, sha256Hex, verifySigV4 } from './sigv4-verify.ts';
import type { SignatureFailure, VerifiedSignature } from './sigv4-verify.ts';
import { SsmParameterStore } from './ssm-parameters.ts';

// The sandbox's AWS endpoint: S3 (path style), Secrets Manager and SSM behind one handler, every
// request SigV4-verified against the access keys the emulator was given.

export interface AwsEmulatorOptions {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** What a new bucket starts with: 'aws' (default; SSE-S3 encryption and Block Public Access on, as AWS
   *  does since 2023) or 'none' (a bare S3-compatible store: every configuration Get is a NoSuch… 404). */
  newBucketDefaults?: NewBucketDefaults;
}

export interface AwsEmulator {
  /** Answers one request. `req.url` must be the URL as the client sent (and signed) it, prefix included. */
  handle(req: IncomingMessage, res: ServerResponse, pathAfterAwsPrefix: string, body: Buffer): Promise<void>;
  /** Secrets Manager SecretString: a new AWSCURRENT version (the secret is created on first use). */
  putSecret(id: string, value: string): void;
  /** SSM SecureString parameter: a new version. */
  putParameter(name: string, value: string): void;
  /** Creates a bucket owned by `ownerAccessKeyId` (default the emulator's own key), as the simulated operator does; no-op if it exists. */
  createBucket(name: string, region: string, ownerAccessKeyId?: string): void;
  bucketExists(name: string): boolean;
  /** Empties and deletes a bucket as the operator's RemoveStorage does (ListObjects, DeleteObjects, DeleteBucket); false if it did not exist. */
  deleteBucket(name: string): boolean;
  /** A deep copy for assertions: region, tags, encryption, publicAccessBlock, lifecycle, policy, objects. */
  bucket(name: string): BucketSnapshot | undefined;
  areValidKeys(accessKeyId: string, secretAccessKey: string): boolean;
  /** Accepts another key pair; it stands for its own account (its buckets are not the others'). */
  addAccessKey(accessKeyId: string, secretAccessKey: string): void;
  requestCount(): number;
}

// Requests more than 15 minutes off the server clock are refused.
// Source: https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html
const maxSkewMs = 15 * 60 * 1000;

function newRequestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function s3AuthError(failure: SignatureFailure): S3Error {
  switch (failure.kind) {
    case 'missing':
      // An unsigned request is anonymous to S3, and anonymous access is denied here.
      return new S3Error(403, 'AccessDenied', 'Access Denied');
    case 'malformed':
      return new S3Error(400, 'AuthorizationHeaderMalformed', failure.message);
    case 'unknown-key':
      return new S3Error(403, 'InvalidAccessKeyId', failure.message, [['AWSAccessKeyId', failure.accessKeyId]]);
    case 'mismatch':
      return new S3Error(403, 'SignatureDoesNotMatch', failure.message, [
        ['AWSAccessKeyId', failure.accessKeyId],
        ['StringToSign', failure.stringToSign],
        ['SignatureProvided', failure.signatureProvided],
        ['CanonicalRequest', failure.canonicalRequest],
      ]);
  }
}

// Codes and wording of the JSON services' authentication errors:
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/CommonErrors.html
function jsonAuthError(failure: SignatureFailure): JsonServiceError {
  switch (failure.kind) {
    case 'missing':
      return new JsonServiceError(400, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    case 'malformed':
      return new JsonServiceError(400, 'IncompleteSignatureException', failure.message);
    case 'unknown-key':
      return new JsonServiceError(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    case 'mismatch':
      return new JsonServiceError(
        400,
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      );
  }
}

/** Creates an emulator that accepts `options`' key pair (and any added later). */
export function createAwsEmulator(options: AwsEmulatorOptions): AwsEmulator {
  const keys = new Map<string, string>([[options.accessKeyId, options.secretAccessKey]]);
  const store: S3Store = { buckets: new Map(), newBucketDefaults: options.newBucketDefaults ?? 'aws' };
  const secrets = new SecretsManagerStore(options.region);
  const parameters = new SsmParameterStore(options.region);
  let requests = 0;

  const handleS3 = async (req: IncomingMessage, res: ServerResponse, path: string, body: Buffer, requestId: string): Promise<void> => {
    const method = req.method ?? 'GET';
    if (/[?&]X-Amz-Signature=/i.test(req.url ?? '')) {
      sendS3Reply(res, method, requestId, new S3Error(501, 'NotImplemented', 'Query-string (presigned URL) authentication is not implemented by the regops sandbox AWS emulator'));
      return;
    }
    const contentSha = req.headers['x-amz-content-sha256'];
    const check = await verifySigV4(
      { method, url: req.url ?? '/', rawHeaders: req.rawHeaders, payloadHash: typeof contentSha === 'string' ? contentSha : sha256Hex(body), doubleEncodePath: false },
      (id) => keys.get(id),
    );
    if (!check.ok) {
      sendS3Reply(res, method, requestId, s3AuthError(check.failure));
      return;
    }
    const caller = check.value;
    const now = Date.now();
    if (caller.service !== 's3') {
      sendS3Reply(res, method, requestId, new S3Error(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; incorrect service "${caller.service}". This endpoint belongs to "s3".`));
      return;
    }
    if (typeof contentSha !== 'string') {
      sendS3Reply(res, method, requestId, new S3Error(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256'));
      return;
    }
    if (Math.abs(parseAmzDate(caller.amzDate) - now) > maxSkewMs) {
      sendS3Reply(
        res,
        method,
        requestId,
        new S3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', [
          ['RequestTime', caller.amzDate],
          ['ServerTime', new Date(now).toISOString()],
          ['MaxAllowedSkewMilliseconds', String(maxSkewMs)],
        ]),
      );
      return;
    }
    handleS3Request(store, { req, res, path, body, caller, requestId, now: new Date(now) });
  };

  const handleJson = async (req: IncomingMessage, res: ServerResponse, body: Buffer, target: string, requestId: string): Promise<void> => {
    const dot = target.indexOf('.');
    const prefix = target.slice(0, dot);
    const operationName = target.slice(dot + 1);
    const service = prefix === 'secretsmanager' ? 'secretsmanager' : prefix === 'AmazonSSM' ? 'ssm' : undefined;
    try {
      if (service === undefined || dot < 0) throw new JsonServiceError(501, 'NotImplemented', `${target} is not implemented by the regops sandbox AWS emulator`);
      const check = await verifySigV4(
        { method: req.method ?? 'POST', url: req.url ?? '/', rawHeaders: req.rawHeaders, payloadHash: sha256Hex(body), doubleEncodePath: true },
        (id) => keys.get(id),
      );
      if (!check.ok) throw jsonAuthError(check.failure);
      const caller: VerifiedSignature = check.value;
      if (caller.service !== service) throw new JsonServiceError(400, 'InvalidSignatureException', `Credential should be scoped to correct service: '${service}'.`);
      const now = Date.now();
      const signedAt = parseAmzDate(caller.amzDate);
      if (Math.abs(signedAt - now) > maxSkewMs) {
        // The SDK treats this exact wording as a clock-skew error and corrects its clock.
        throw new JsonServiceError(400, 'InvalidSignatureException', `Signature expired: ${caller.amzDate} is now earlier than ${formatAmzDate(now - maxSkewMs)} (${formatAmzDate(now)} - 15 min.)`);
      }
      const run = service === 'secretsmanager' ? secrets.operation(operationName) : parameters.operation(operationName);
      if (!run) throw new JsonServiceError(501, 'NotImplemented', `${target} is not implemented by the regops sandbox AWS emulator`);
      sendJsonReply(res, requestId, { status: 200, body: run(parseJsonInput(body), new Date(now)) });
    } catch (error) {
      if (!(error instanceof JsonServiceError)) throw error;
      sendJsonReply(res, requestId, error);
    }
  };

  return {
    handle(req, res, pathAfterAwsPrefix, body) {
      requests += 1;
      const requestId = newRequestId();
      const target = req.headers['x-amz-target'];
      // a rejection is an emulator bug, never an AWS answer: the caller turns it into a 500
      const handled = typeof target === 'string' ? handleJson(req, res, body, target, requestId) : handleS3(req, res, pathAfterAwsPrefix, body, requestId);
      return handled.catch((error: unknown) => Promise.reject(error instanceof Error ? error : new Error('aws emulator failure')));
    },
    putSecret(id, value) {
      secrets.put(id, value, new Date());
    },
    putParameter(name, value) {
      parameters.put(name, value, new Date());
    },
    createBucket(name, region, ownerAccessKeyId = options.accessKeyId) {
      if (!isValidBucketName(name)) throw new Error(`aws emulator: bucket ${name}: not a valid S3 bucket name`);
      if (!store.buckets.has(name)) store.buckets.set(name, createBucketState(name, region, ownerAccessKeyId, store.newBucketDefaults, new Date()));
    },
    bucketExists(name) {
      return store.buckets.has(name);
    },
    deleteBucket(name) {
      // the objects go with the bucket: the operator batch-deletes them before DeleteBucket (pkg/storage/s3/s3.go RemoveStorage)
      return store.buckets.delete(name);
    },
    bucket(name) {
      const state = store.buckets.get(name);
      return state === undefined ? undefined : snapshotBucket(state);
    },
    areValidKeys(accessKeyId, secretAccessKey) {
      return keys.has(accessKeyId) && keys.get(accessKeyId) === secretAccessKey;
    },
    addAccessKey(accessKeyId, secretAccessKey) {
      keys.set(accessKeyId, secretAccessKey);
    },
    requestCount() {
      return requests;
    },
  };
}
