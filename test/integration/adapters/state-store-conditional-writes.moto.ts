// Conditional writes and the fleet lease (./state-store-suite.ts) on moto's S3 (npm run test:moto);
// state-store-conditional-writes.test.ts runs the same suite on the sandbox's emulator and a folder.
import { describe } from 'vitest';
import { startMotoTarget } from './aws-targets.ts';
import { conditionalWritesSuite, s3StateStore } from './state-store-suite.ts';

describe('moto S3: conditional writes', () =>
  conditionalWritesSuite(async () => {
    const target = await startMotoTarget();
    return { store: await s3StateStore(target, 'regops-state-moto'), stop: () => target.stop() };
  }));
