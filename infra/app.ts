/**
 * The CDK app (`npx cdk synth`, `npx cdk deploy`): one RegopsStack configured by context keys
 * `regops:*` (defaults in cdk.json; override with `-c regops:repository=owner/name`). cdk-nag's
 * AwsSolutions pack validates every synth. CLI telemetry is off by cdk.json's `cli-telemetry: false`
 * context, so `npm run synth` makes no network call.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readStackSettings } from './stack-settings.ts';
import { RegopsStack } from './regops-stack.ts';

const app = new App();
const settings = readStackSettings((key) => app.node.tryGetContext(key));
new RegopsStack(app, app.node.tryGetContext('regops:stackName') ?? 'Regops', settings);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
