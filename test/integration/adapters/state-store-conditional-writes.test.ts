// Conditional writes and the fleet lease (./state-store-suite.ts) on the sandbox's S3 emulator and on
// the local folder; state-store-conditional-writes.moto.ts runs the same suite on moto (npm run test:moto).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { FsStateStore } from '../../../functions/adapters/local-fs/fs-state-store.ts';
import { startEmulatorTarget } from './aws-targets.ts';
import { conditionalWritesSuite, s3StateStore } from './state-store-suite.ts';

describe('sandbox S3: conditional writes', () =>
  conditionalWritesSuite(async () => {
    const target = await startEmulatorTarget();
    return { store: await s3StateStore(target, 'regops-state-sandbox'), stop: () => target.stop() };
  }));

describe('local folder: conditional writes', () =>
  conditionalWritesSuite(async () => ({ store: new FsStateStore(await mkdtemp(join(tmpdir(), 'regops-state-'))), stop: () => Promise.resolve() })));
