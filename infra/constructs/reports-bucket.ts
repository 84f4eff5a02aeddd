import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface ReportsBucketProps {
  /** Days dated history (history/…) and old object versions are kept. */
  historyDays: number;
}

/**
 * The reports bucket: SSE-S3, versioned, TLS only, no public access, server access logs to a
 * second bucket. latest/ is overwritten on each run; history/<kind>/YYYY/MM/DD/ keeps every report
 * for `historyDays` (months, so "since when has this cluster drifted" has an answer).
 */
export class ReportsBucket extends Construct {
  readonly bucket: s3.Bucket;
  /** Server access logs of `bucket`. */
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: ReportsBucketProps) {
    super(scope, id);
    const accessLogs = this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(props.historyDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      // aws-cdk-lib's Bucket declares isWebsite `boolean | undefined` where IBucket says optional
      // boolean, which exactOptionalPropertyTypes rejects; the object is the same.
      serverAccessLogsBucket: accessLogs as s3.IBucket,
      serverAccessLogsPrefix: 'reports/',
      lifecycleRules: [
        { id: 'history', prefix: 'history/', expiration: Duration.days(props.historyDays) },
        // per-run working files (config snapshots, per-cluster outcomes) are only needed while a run lasts
        { id: 'runs', prefix: 'runs/', expiration: Duration.days(30) },
        { id: 'old-versions', noncurrentVersionExpiration: Duration.days(props.historyDays) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
