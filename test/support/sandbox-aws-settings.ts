import { Agent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Sandbox } from '../../functions/sandbox/index.ts';

/**
 * AWS SDK client settings that reach the sandbox's AWS endpoints: its region, endpoint and keys,
 * TLS trusting the sandbox CA. S3 clients add `forcePathStyle: true` (the emulator has no DNS).
 */
export function buildSandboxAwsSettings(sandbox: Sandbox, options: { keepAlive?: boolean } = {}) {
  return {
    region: sandbox.aws.region,
    endpoint: sandbox.aws.endpoint,
    credentials: { accessKeyId: sandbox.aws.accessKeyId, secretAccessKey: sandbox.aws.secretAccessKey },
    requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca: sandbox.caPem, ...(options.keepAlive === undefined ? {} : { keepAlive: options.keepAlive }) }) }),
  };
}
