// Entry for the bundle smoke test: the handler factories and wiring, bundled with the functions'
// esbuild options (infra/bundle.ts), so the test runs the bundled code rather than the sources.
export { createPlanWavesHandler } from '../../../functions/handlers/plan-waves.ts';
export { createReconcileClusterHandler } from '../../../functions/handlers/reconcile-cluster.ts';
export { buildAwsStepRuntime } from '../../../functions/handlers/wiring/aws-runtime.ts';
export { createAwsClusterAccess } from '../../../functions/handlers/wiring/cluster-access.ts';
export { createGitHubAccess } from '../../../functions/handlers/wiring/github-access.ts';
export { createDriftScanHandler } from '../../../functions/handlers/drift-scan.ts';
export { createPublishReportHandler } from '../../../functions/handlers/publish-report.ts';
