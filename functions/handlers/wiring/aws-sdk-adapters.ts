/**
 * The AWS SDK clients and the adapters over them that every step function uses. aws-runtime.ts loads
 * this module on first use (a dynamic import, a chunk of its own in the bundle: infra/bundle.ts), so a
 * cold start does not load the SDK before the first invocation needs it (issue 14 item 8).
 */
export { S3Client } from '@aws-sdk/client-s3';
export { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
export { S3ReportStore } from '../../adapters/s3/s3-report-store.ts';
export { S3StateStore } from '../../adapters/s3/s3-state-store.ts';
export { SecretsManagerSource } from '../../adapters/secrets/secrets-manager-source.ts';
