import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { releaseVersion } from './cluster-objects.ts';
import { freePort } from './free-port.ts';
import { startProcess, type ManagedProcess } from './managed-process.ts';
import type { TestbedCa } from './testbed-tls.ts';

const metricsDir = '/etc/secrets';

/**
 * The operator always serves metrics over HTTPS with the hard-coded /etc/secrets/tls.{crt,key}
 * (cmd/cluster-image-registry-operator/main.go) and exits without them: write a pair once, signed by
 * the testbed CA, and leave an existing pair alone.
 */
async function ensureMetricsCertificate(ca: TestbedCa): Promise<void> {
  const present = await access(join(metricsDir, 'tls.key')).then(() => true, () => false);
  if (present) return;
  const pair = await ca.issue({ dns: ['localhost'], ips: ['127.0.0.1'] }, 'regops-testbed-operator-metrics');
  await mkdir(metricsDir, { recursive: true });
  await writeFile(join(metricsDir, 'tls.crt'), pair.certPem);
  await writeFile(join(metricsDir, 'tls.key'), pair.keyPem, { mode: 0o600 });
}

/** Starts cluster-image-registry-operator as a process with --kubeconfig, as its hack/local-dev.sh does, with the Deployment's env. */
export async function startRegistryOperator(cluster: string, options: { binary: string; dir: string; kubeconfigFile: string; ca: TestbedCa; caFile: string }): Promise<ManagedProcess> {
  await ensureMetricsCertificate(options.ca);
  // one metrics port per operator (GenericControllerConfig servingInfo.bindAddress; the default :60000 would collide)
  const config = join(options.dir, 'operator-config.yaml');
  await writeFile(config, JSON.stringify({ apiVersion: 'config.openshift.io/v1', kind: 'GenericControllerConfig', servingInfo: { bindAddress: `127.0.0.1:${await freePort()}` } }));
  return startProcess(`${cluster}/cluster-image-registry-operator`, options.binary, [`--kubeconfig=${options.kubeconfigFile}`, `--config=${config}`], {
    logFile: join(options.dir, 'cluster-image-registry-operator.log'),
    env: {
      RELEASE_VERSION: releaseVersion,
      OPERATOR_IMAGE_VERSION: releaseVersion,
      WATCH_NAMESPACE: 'openshift-image-registry',
      POD_NAME: `cluster-image-registry-operator-${cluster}`,
      // aws-sdk-go v1 replaces the S3 client's CA pool (system + kube-cloud-config, pkg/storage/s3/s3.go)
      // with the AWS_CA_BUNDLE file when that variable is set, and these machines set it to the system
      // bundle: the operator then failed with "x509: certificate signed by unknown authority" against
      // moto. Pointing it at the testbed CA keeps the operator's own CA handling out of the way.
      AWS_CA_BUNDLE: options.caFile,
      // as in the operator's Deployment manifest; without it the AzureStackCloud controller reports
      // Degraded ("AZURE_ENVIRONMENT_FILEPATH is not set") on every platform
      AZURE_ENVIRONMENT_FILEPATH: join(options.dir, 'azurestackcloud.json'),
      // KWOK never pulls images: placeholders satisfy the API
      IMAGE: 'registry.testbed.invalid/openshift/image-registry:4.22',
      OPERATOR_IMAGE: 'registry.testbed.invalid/openshift/cluster-image-registry-operator:4.22',
      IMAGE_PRUNER: 'registry.testbed.invalid/openshift/cli:4.22',
    },
  });
}
