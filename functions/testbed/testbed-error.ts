/** Failures of the testbed launcher: a code, the cluster or process it concerns, and the cause. */
export class TestbedError extends Error {
  readonly code: string;
  readonly context: Record<string, string | number>;

  constructor(code: string, message: string, context: Record<string, string | number> = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'TestbedError';
    this.code = code;
    this.context = context;
  }
}
