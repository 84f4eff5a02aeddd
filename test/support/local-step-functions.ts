/**
 * Runs a synthesized state machine definition with aws-local-stepfunctions (an independent ASL
 * interpreter; it validates the definition with asl-validator first), every Task routed to a local
 * function standing in for its Lambda. The stand-in keeps Lambda's contract: the input and output
 * go through JSON, and a thrown error reaches Step Functions as Error = its name and
 * Cause = {"errorType","errorMessage","trace"} (as the Lambda service reports a function error).
 *
 * Shims, each for a place where the interpreter (3.0.0) is not what AWS runs:
 * - Promise.withResolvers: the interpreter needs Node 22; this project runs tests on Node 20.
 * - Map: after an iteration fails, AWS starts no further iteration; the interpreter still starts
 *   the queued ones. A Task of a Map whose iteration failed refuses to start a new item.
 * - Distributed Map: the interpreter has no Distributed mode (it runs the ItemProcessor inline)
 *   and ignores ToleratedFailureCount, ItemReader, ResultWriter and ItemBatcher. Inline is the
 *   same as Distributed for a Map that tolerates no failure and reads its items from the input;
 *   any of those fields with another value is refused here, never silently run differently.
 * - Task timeout: the interpreter fails a Task without TimeoutSeconds after 60 s (AWS waits up to
 *   the function's own timeout); the steps in these tests finish in seconds, so this is left as is.
 * Wait states and Retry intervals are shortened (`waitMs`, `retryMs`): the tests check which
 * states ran and how often, not the wall clock.
 */
import { StateMachine } from 'aws-local-stepfunctions';

// Node 20 has no Promise.withResolvers (Node 22 API); the interpreter's Task timeout uses it.
const promiseStatics = Promise as unknown as { withResolvers?: () => { promise: Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void } };
promiseStatics.withResolvers ??= () => {
  let resolve!: (value: unknown) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<unknown>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
};

export interface AslState {
  Type: string;
  Resource?: string;
  ItemProcessor?: Asl & { ProcessorConfig?: { Mode?: string } };
  Iterator?: Asl;
  ToleratedFailureCount?: number;
  ToleratedFailurePercentage?: number;
  ItemReader?: unknown;
  ResultWriter?: unknown;
  ItemBatcher?: unknown;
  [field: string]: unknown;
}

export interface Asl {
  StartAt: string;
  States: Record<string, AslState>;
}

export interface RunOptions {
  /** The Lambda function a Task resource names (a Lambda ARN), called with the Task's input. */
  invoke(resource: string, input: unknown): Promise<unknown>;
  executionName?: string;
  /** How long every Wait state lasts here (ms; default 150). */
  waitMs?: number;
  /** How long between Retry attempts here (ms; default 20). */
  retryMs?: number;
}

export interface ExecutionResult {
  status: 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: string;
  cause?: string;
  /** Every state entered, in order (Map iterations included). */
  history: string[];
  /** Tasks that were retried, one entry per retry. */
  retried: string[];
}

interface Walked {
  tasks: Map<string, { resource: string; map?: string }>;
  waits: string[];
}

/** Collects Task and Wait states (nested Maps included), and refuses Map fields this shim cannot run as AWS would. */
function walk(definition: Asl, map: string | undefined, into: Walked): Walked {
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type === 'Task') into.tasks.set(name, { resource: String(state.Resource), ...(map === undefined ? {} : { map }) });
    if (state.Type === 'Wait') into.waits.push(name);
    if (state.Type !== 'Map') continue;
    for (const field of ['ItemReader', 'ResultWriter', 'ItemBatcher', 'ToleratedFailurePercentage'] as const) {
      if (state[field] !== undefined) throw new Error(`local-step-functions: Map ${name}: ${field} is not run by the interpreter; extend the shim before using it`);
    }
    if ((state.ToleratedFailureCount ?? 0) !== 0) throw new Error(`local-step-functions: Map ${name}: ToleratedFailureCount ${state.ToleratedFailureCount} is ignored by the interpreter; extend the shim before using it`);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor !== undefined) walk(processor, name, into);
  }
  return into;
}

/** What the Lambda service turns a function error into: Error = errorType, Cause = the JSON error document. */
function asLambdaError(thrown: unknown): Error {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  const failure = new Error(JSON.stringify({ errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') }));
  failure.name = error.name;
  return failure;
}

function readFailure(thrown: unknown): { error: string; cause: string } {
  const inner = (thrown as { cause?: unknown }).cause ?? thrown;
  const error = inner as { name?: unknown; message?: unknown };
  return { error: typeof error.name === 'string' ? error.name : 'Error', cause: typeof error.message === 'string' ? error.message : '' };
}

/** Runs `definition` with `input` to the end, as one Step Functions execution would. */
export async function runStateMachine(definition: Asl, input: unknown, options: RunOptions): Promise<ExecutionResult> {
  const { tasks, waits } = walk(definition, undefined, { tasks: new Map(), waits: [] });
  const failedMaps = new Set<string>();
  const startedItems = new Map<string, Set<string>>();
  const taskResourceLocalHandlers = Object.fromEntries([...tasks].map(([name, task]) => [name, async (taskInput: unknown) => {
    if (task.map !== undefined) {
      // shim: no new Map iteration after one failed (the item's identity is its input)
      const item = JSON.stringify((taskInput as { cluster?: unknown }).cluster ?? taskInput);
      const started = startedItems.get(task.map) ?? new Set<string>();
      startedItems.set(task.map, started);
      // the failure reaches failedMaps through the event log's promise chain: let it settle first
      if (!started.has(item)) await new Promise((resolve) => setTimeout(resolve, 0));
      if (failedMaps.has(task.map) && !started.has(item)) throw new Error(`local-step-functions: Map ${task.map} had already failed; AWS starts no further iteration`);
      started.add(item);
    }
    try {
      return JSON.parse(JSON.stringify(await options.invoke(task.resource, JSON.parse(JSON.stringify(taskInput))) ?? null)) as unknown;
    } catch (thrown) {
      throw asLambdaError(thrown);
    }
  }]));
  const machine = new StateMachine(definition as never);
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers,
      waitTimeOverrides: Object.fromEntries(waits.map((name) => [name, options.waitMs ?? 150])),
      retryIntervalOverrides: Object.fromEntries([...tasks.keys()].map((name) => [name, options.retryMs ?? 20])),
    },
    context: { Execution: { Name: options.executionName ?? 'local' } },
  } as never);
  const history: string[] = [];
  const retried: string[] = [];
  const logged = (async () => {
    for await (const event of execution.eventLogs as AsyncIterable<{ type: string; state?: { name: string }; parentState?: { name: string } }>) {
      if (event.type === 'StateEntered' && event.state !== undefined) history.push(event.state.name);
      if (event.type === 'StateRetried' && event.state !== undefined) retried.push(event.state.name);
      if (event.type === 'MapIterationFailed' && event.parentState !== undefined) failedMaps.add(event.parentState.name);
    }
  })();
  try {
    const output = await execution.result;
    await logged;
    return { status: 'SUCCEEDED', output, history, retried };
  } catch (thrown) {
    await logged.catch(() => undefined);
    return { status: 'FAILED', ...readFailure(thrown), history, retried };
  }
}

/** Lambda ARNs in the extracted definitions: this prefix + the function's handler name. */
export const localFunctionArnPrefix = 'arn:aws:lambda:eu-west-1:123456789012:function:';

/**
 * The state machines of a synthesized template, with each Lambda ARN token replaced by
 * `${localFunctionArnPrefix}<function>` where <function> is the handler file the function runs
 * (from its description `regops <handler>`, infra/constructs/regops-function.ts).
 */
export function extractStateMachines(template: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> }): Record<string, Asl> {
  const functionOf = new Map<string, string>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const handler = /^regops (\S+)$/.exec(String(resource.Properties?.['Description']))?.[1];
    if (handler !== undefined) functionOf.set(id, handler);
  }
  const flatten = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join !== undefined) return join[1].map(flatten).join(join[0]);
    const getAtt = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
    if (getAtt !== undefined) return `${localFunctionArnPrefix}${functionOf.get(getAtt[0]) ?? getAtt[0]}`;
    const ref = (value as { Ref?: string })['Ref'];
    if (ref !== undefined) return ref === 'AWS::Partition' ? 'aws' : ref === 'AWS::Region' ? 'eu-west-1' : ref === 'AWS::AccountId' ? '123456789012' : `ref-${ref}`;
    throw new Error(`local-step-functions: cannot resolve ${JSON.stringify(value)} in a definition`);
  };
  const machines: Record<string, Asl> = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
    machines[id] = JSON.parse(flatten(resource.Properties?.['DefinitionString'])) as Asl;
  }
  return machines;
}
