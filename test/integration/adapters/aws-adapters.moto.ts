// The AWS adapters against moto's server (PyPI moto, an implementation this project did not write):
// the suite aws-adapters.test.ts runs against the sandbox's emulator. Run by `npm run test:moto`
// (vitest.moto.config.ts), so a fresh `npm test` needs no Python.
import { describe } from 'vitest';
import { awsAdapterSuite } from './aws-adapters-suite.ts';
import { startMotoTarget } from './aws-targets.ts';

describe('AWS adapters against moto', () => awsAdapterSuite(startMotoTarget));
