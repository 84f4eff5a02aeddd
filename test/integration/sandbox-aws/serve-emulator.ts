import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAwsEmulator } from '../../../functions/sandbox/aws/index.ts';
import type { AwsEmulator, AwsEmulatorOptions } from '../../../functions/sandbox/aws/index.ts';

// Serves the AWS emulator on a plain-http local port under /aws, the way the sandbox mounts it on
// its HTTPS server, so the real AWS SDK clients can be pointed at it with `endpoint`.

export interface ServedEmulator {
  emulator: AwsEmulator;
  endpoint: string;
  options: AwsEmulatorOptions;
  stop(): Promise<void>;
}

export const primaryKeys = { accessKeyId: 'AKIASANDBOXPRIMARY01', secretAccessKey: 'sandbox-primary-secret-key-0000000000001' };

export async function serveEmulator(overrides: Partial<AwsEmulatorOptions> = {}): Promise<ServedEmulator> {
  const options: AwsEmulatorOptions = { ...primaryKeys, region: 'eu-west-1', ...overrides };
  const emulator = createAwsEmulator(options);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      if (!url.startsWith('/aws')) {
        res.statusCode = 404;
        res.end();
        return;
      }
      emulator.handle(req, res, url.slice('/aws'.length) || '/', Buffer.concat(chunks)).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(error instanceof Error ? error.message : 'error');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    emulator,
    endpoint: `http://127.0.0.1:${port}/aws`,
    options,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
