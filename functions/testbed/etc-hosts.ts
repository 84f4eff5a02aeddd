import { readFile, writeFile } from 'node:fs/promises';
import { TestbedError } from './testbed-error.ts';

const hostsFile = '/etc/hosts';

/**
 * The operator's S3 client is virtual-host style against the Infrastructure endpoint (pkg/storage/s3/s3.go
 * forces VirtualHostedStyle when the endpoint comes from there), so `<bucket>.<host>` must resolve; its
 * Go resolver reads /etc/hosts. A block marked with this testbed's id is added and removed again.
 */
export async function addHostsBlock(id: string, names: string[]): Promise<() => Promise<void>> {
  const marker = `# regops-testbed ${id}`;
  const line = `127.0.0.1 ${names.join(' ')} ${marker}\n`;
  try {
    const current = await readFile(hostsFile, 'utf8');
    await writeFile(hostsFile, `${current.endsWith('\n') || current === '' ? current : `${current}\n`}${line}`);
  } catch (error) {
    throw new TestbedError('hosts.not-writable', `${hostsFile}: cannot add the S3 host names (${names.join(', ')}); the AWS clusters need them, run as root or leave AWS clusters out`, {}, error);
  }
  return async () => {
    const current = await readFile(hostsFile, 'utf8').catch(() => '');
    await writeFile(hostsFile, current.split('\n').filter((l) => !l.endsWith(marker)).join('\n'));
  };
}
