// The sandbox's AWS endpoints (S3, Secrets Manager, SSM): an independent emulator, mounted under /aws.
export { createAwsEmulator } from './aws-emulator.ts';
export type { AwsEmulator, AwsEmulatorOptions } from './aws-emulator.ts';
export type { BucketSnapshot, ObjectSnapshot, EncryptionRule, PublicAccessBlock, LifecycleShape } from './s3-bucket.ts';
export type { NewBucketDefaults } from './s3-call.ts';
