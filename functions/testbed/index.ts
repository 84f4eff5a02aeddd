/** The real testbed: real control planes, the real registry operator, moto. See README.md here. */
export { locateOperatorBinary, locateTestbedBuild, readTestbedFleet, startTestbed } from './start-testbed.ts';
export { copyConfigForTestbed } from './testbed-config-copy.ts';
export { TestbedError } from './testbed-error.ts';
export type { Testbed, TestbedApiRequest, TestbedAws, TestbedClusterInfo, TestbedClusterSpec, TestbedOptions } from './testbed-types.ts';
