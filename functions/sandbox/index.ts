// The sandbox fleet: a local Kubernetes API (with the image registry operator simulated) and AWS endpoints for tests and the demo.
export { startSandbox } from './start-sandbox.ts';
export type { Sandbox, SandboxOptions, SandboxStats, ObjectRef } from './sandbox-types.ts';
export type { FaultControl, FaultSettings } from './fault-control.ts';
