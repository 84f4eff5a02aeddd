/**
 * Runs a synthesized state machine definition with aws-local-stepfunctions (an independent ASL
 * interpreter; it validates the definition with asl-validator first), every Task routed to a local
 * function standing in for its Lambda. The stand-in keeps Lambda's contract: the input and output
 * go through JSON, and a thrown error reaches Step Functions as Error = its name and
 * Cause = {"errorType","errorMessage","trace"} (as the Lambda service reports a function error).
 *
 * Shims, each for a place where the interpreter (3.0.0) is not what AWS runs:
 * - Promise.withResolvers: the interpreter needs Node 22; this project runs tests on Node 20.
 * - Map (inline): after an iteration fails, AWS starts no further iteration; the interpreter still
 *   starts the queued ones. A Task of a Map whose iteration failed refuses to start a new item.
 * - Distributed Map: the interpreter has no Distributed mode (it would run the ItemProcessor inline
 *   and ignore ItemReader, ResultWriter and ToleratedFailureCount). This shim runs it instead: the
 *   state becomes a Task handled here (InputPath, ResultSelector, ResultPath, OutputPath, Retry and
 *   Catch stay the interpreter's), which reads the items (ItemReader: an S3 JSON or JSONL object
 *   through `RunOptions.s3`, or ItemsPath), evaluates ItemSelector per item with the interpreter
 *   (a Pass state given `$$.Map.Item`), starts one child execution per item (ProcessorConfig
 *   ExecutionType STANDARD: its own history, counted apart), at most MaxConcurrency at once, fails
 *   with States.ExceedToleratedFailureThreshold once more children failed than
 *   ToleratedFailureCount / ToleratedFailurePercentage allow (no further child starts), and with a
 *   ResultWriter writes SUCCEEDED_0.json / FAILED_0.json and manifest.json under
 *   <Prefix>/<map run id>/ and answers {MapRunArn, ResultWriterDetails: {Bucket, Key}} as AWS does
 *   ("Distributed Map state" and "ResultWriter" in the Step Functions developer guide).
 *   Any Map field, ItemReader/ResultWriter/ProcessorConfig field or value this shim does not
 *   implement (ItemBatcher, CSV input, WriterConfig, EXPRESS children, *Path variants…) is refused
 *   with an error naming it, never run as if it were absent.
 * - Task token (`arn:aws:states:::lambda:invoke.waitForTaskToken`): the interpreter has none (it would
 *   call the function and take its answer as the Task's result). Here the Task's `$$.Task.Token` is a
 *   fresh token per attempt, the function (Parameters.FunctionName) gets Parameters.Payload, and the
 *   Task then waits until the test answers the token through `RunOptions.taskTokens` (the fake behind
 *   the SendTaskSuccess / SendTaskFailure a handler sends: test/support/sfn-stand-in.ts) or until
 *   `taskTokenTimeoutMs` (the Task's TimeoutSeconds, shortened as Wait states are) fails it with
 *   States.Timeout. A token Task with HeartbeatSeconds, TimeoutSecondsPath, other Parameters or another
 *   service, and `$$.Task.Token` in any other Task, are refused.
 * - Task timeout: the interpreter fails a Task without TimeoutSeconds after 60 s (AWS waits up to
 *   the function's own timeout); the steps in these tests finish in seconds, so this is left as is
 *   (the Distributed Map's stand-in Task gets no such limit).
 * Wait states and Retry intervals are shortened (`waitMs`, `retryMs`): the tests check which
 * states ran and how often, not the wall clock.
 * Each execution also reports what AWS would hold it to: `events`, the history events it would
 * write (ExecutionStarted/Succeeded|Failed, <Type>StateEntered/Exited, per Task attempt
 * TaskScheduled + TaskStarted + TaskSucceeded|TaskFailed, per inline Map MapStateStarted +
 * MapStateSucceeded and per iteration MapIterationStarted + MapIterationSucceeded|Failed, per
 * Distributed Map MapRunStarted + MapRunSucceeded|Failed: the HistoryEvent types of the Step
 * Functions API reference; a Standard execution keeps at most 25,000), and `maxStateBytes`, the
 * largest input or output passed between its states (the payload limit is 256 KB).
 */
import { randomUUID } from 'node:crypto';
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
  ItemProcessor?: Asl & { ProcessorConfig?: { Mode?: string; ExecutionType?: string } };
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

/** S3 as the Distributed Map's ItemReader and ResultWriter reach it (bucket names as the definition gives them). */
export interface LocalObjectStore {
  get(bucket: string, key: string): Promise<string | undefined>;
  put(bucket: string, key: string, body: string): Promise<void>;
}

export interface RunOptions {
  /** The Lambda function a Task resource names (a Lambda ARN), called with the Task's input. */
  invoke(resource: string, input: unknown): Promise<unknown>;
  executionName?: string;
  /** How long every Wait state lasts here (ms; default 150). */
  waitMs?: number;
  /** How long between Retry attempts here (ms; default 20). */
  retryMs?: number;
  /** Where a Distributed Map's ItemReader reads and its ResultWriter writes; required when one is used. */
  s3?: LocalObjectStore;
  /** Where a waitForTaskToken Task waits for its answer; required when one runs. */
  taskTokens?: LocalTaskTokens;
  /** How long a waitForTaskToken Task waits here before States.Timeout (ms; default 30,000). */
  taskTokenTimeoutMs?: number;
}

/** What SendTaskSuccess / SendTaskFailure answer: `sent`, or the API's error for a token no Task waits on. */
export type TaskTokenAnswer = 'sent' | 'TaskTimedOut' | 'InvalidToken';

/** The tokens of the waitForTaskToken Tasks waiting now, and the two calls that answer them. */
export interface LocalTaskTokens {
  succeed(token: string, output: string): TaskTokenAnswer;
  fail(token: string, error: string, cause: string): TaskTokenAnswer;
  /** Tokens handed out so far (the test may check one was stored, never print it). */
  readonly issued: string[];
  /** @internal the shim's side: a waiting Task */
  wait(token: string): Promise<unknown>;
  /** @internal the shim's side: the Task stopped waiting (timeout, failed invoke) */
  forget(token: string): void;
}

export function createLocalTaskTokens(): LocalTaskTokens {
  const waiting = new Map<string, { resolve: (output: unknown) => void; reject: (error: Error) => void }>();
  const issued: string[] = [];
  const answer = (token: string, settle: (w: { resolve: (output: unknown) => void; reject: (error: Error) => void }) => void): TaskTokenAnswer => {
    const task = waiting.get(token);
    if (task === undefined) return issued.includes(token) ? 'TaskTimedOut' : 'InvalidToken';
    waiting.delete(token);
    settle(task);
    return 'sent';
  };
  return {
    issued,
    succeed: (token, output) => answer(token, (task) => task.resolve(JSON.parse(output) as unknown)),
    fail: (token, error, cause) => answer(token, (task) => task.reject(Object.assign(new Error(cause), { name: error }))),
    wait: (token) => {
      issued.push(token);
      return new Promise((resolve, reject) => waiting.set(token, { resolve, reject }));
    },
    forget: (token) => {
      waiting.delete(token);
    },
  };
}

export interface ExecutionResult {
  name: string;
  status: 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: string;
  cause?: string;
  /** Every state entered, in order (inline Map iterations included; child executions apart, in `children`). */
  history: string[];
  /** Tasks that were retried, one entry per retry. */
  retried: string[];
  /** History events AWS would record for this execution (children not included: each has its own). */
  events: number;
  /** The largest state input or output of this execution, in bytes of JSON, and the state it was at. */
  maxStateBytes: number;
  largestStateAt: string;
  /** The child executions its Distributed Maps started, in the order they finished. */
  children: ExecutionResult[];
}

interface Walked {
  tasks: Map<string, { resource: string; map?: string; waitsForToken?: true }>;
  waits: string[];
  distributed: Map<string, AslState>;
}

/** A Map's fields this shim runs, per mode; anything else is refused (never silently ignored). */
const inlineMapFields = new Set(['Type', 'Comment', 'InputPath', 'OutputPath', 'ResultPath', 'ResultSelector', 'ItemSelector', 'Parameters', 'ItemProcessor', 'Iterator', 'ItemsPath', 'MaxConcurrency', 'Retry', 'Catch', 'Next', 'End']);
const distributedMapFields = new Set(['Type', 'Comment', 'InputPath', 'OutputPath', 'ResultPath', 'ResultSelector', 'ItemSelector', 'ItemProcessor', 'ItemReader', 'ResultWriter', 'ItemsPath', 'MaxConcurrency', 'ToleratedFailureCount', 'ToleratedFailurePercentage', 'Label', 'Retry', 'Catch', 'Next', 'End']);
const processorConfigFields = new Set(['Mode', 'ExecutionType']);
const distributedMapResource = 'arn:aws:lambda:eu-west-1:123456789012:function:local-distributed-map';

function refuse(map: string, what: string): never {
  throw new Error(`local-step-functions: Map ${map}: ${what} is not run by this shim; extend test/support/local-step-functions.ts before using it`);
}

function checkFields(map: string, value: unknown, allowed: ReadonlySet<string>, where: string): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) refuse(map, `${where} ${JSON.stringify(value)}`);
  for (const field of Object.keys(value)) if (!allowed.has(field)) refuse(map, `${where}${where === '' ? '' : '.'}${field}`);
}

/** The ItemReader this shim runs: one S3 object (arn:aws:states:::s3:getObject), JSON or JSONL. */
function checkItemReader(map: string, value: unknown): void {
  if (value === undefined) return;
  checkFields(map, value, new Set(['Resource', 'ReaderConfig', 'Parameters']), 'ItemReader');
  const reader = value as { Resource?: unknown; ReaderConfig?: Record<string, unknown>; Parameters?: unknown };
  if (reader.Resource !== 'arn:aws:states:::s3:getObject') refuse(map, `ItemReader.Resource ${String(reader.Resource)}`);
  checkFields(map, reader.ReaderConfig, new Set(['InputType', 'MaxItems']), 'ItemReader.ReaderConfig');
  const inputType = reader.ReaderConfig?.['InputType'];
  if (inputType !== 'JSON' && inputType !== 'JSONL') refuse(map, `ItemReader.ReaderConfig.InputType ${String(inputType)}`);
  checkFields(map, reader.Parameters, new Set(['Bucket', 'Bucket.$', 'Key', 'Key.$']), 'ItemReader.Parameters');
}

/** The ResultWriter this shim runs: Bucket and Prefix, results as AWS writes them without WriterConfig. */
function checkResultWriter(map: string, value: unknown): void {
  if (value === undefined) return;
  checkFields(map, value, new Set(['Resource', 'Parameters']), 'ResultWriter');
  const writer = value as { Resource?: unknown; Parameters?: unknown };
  if (writer.Resource !== 'arn:aws:states:::s3:putObject') refuse(map, `ResultWriter.Resource ${String(writer.Resource)}`);
  checkFields(map, writer.Parameters, new Set(['Bucket', 'Bucket.$', 'Prefix', 'Prefix.$']), 'ResultWriter.Parameters');
}

const lambdaTokenResource = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
/** What `$$.Task.Token` reads in the interpreter; each token Task's input gets a fresh token instead. */
const tokenPlaceholder = 'local-step-functions:task-token-placeholder';

/** Whether a Task waits for a task token; refuses what the shim cannot run as AWS would (see the file's comment). */
function checkTokenTask(name: string, state: AslState): boolean {
  const resource = String(state.Resource);
  if (!resource.endsWith('.waitForTaskToken')) return false;
  const refuseTask = (what: string): never => {
    throw new Error(`local-step-functions: Task ${name}: ${what} is not run by this shim; extend test/support/local-step-functions.ts before using it`);
  };
  if (resource !== lambdaTokenResource) refuseTask(`Resource ${resource}`);
  for (const field of ['HeartbeatSeconds', 'HeartbeatSecondsPath', 'TimeoutSecondsPath', 'Credentials']) if (state[field] !== undefined) refuseTask(field);
  const parameters = state['Parameters'];
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) return refuseTask('a token Task without Parameters');
  const fields = Object.keys(parameters).sort().join(',');
  if (fields !== 'FunctionName,Payload') refuseTask(`Parameters ${fields} (only FunctionName and Payload)`);
  return true;
}

/** Collects Task and Wait states (inline Maps included) and the Distributed Maps, refusing what this shim cannot run as AWS would. */
function walk(definition: Asl, map: string | undefined, into: Walked): Walked {
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type === 'Task') into.tasks.set(name, { resource: String(state.Resource), ...(map === undefined ? {} : { map }), ...(checkTokenTask(name, state) ? { waitsForToken: true as const } : {}) });
    if (state.Type === 'Wait') into.waits.push(name);
    if (state.Type !== 'Map') continue;
    const processor = state.ItemProcessor ?? state.Iterator;
    checkFields(name, state.ItemProcessor?.ProcessorConfig, processorConfigFields, 'ItemProcessor.ProcessorConfig');
    if (state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED') {
      if (map !== undefined) refuse(name, 'a Distributed Map inside an inline Map');
      checkFields(name, state, distributedMapFields, '');
      if (state.ItemProcessor.ProcessorConfig.ExecutionType !== 'STANDARD') refuse(name, `ProcessorConfig.ExecutionType ${String(state.ItemProcessor.ProcessorConfig.ExecutionType)}`);
      if (state.ItemReader !== undefined && state.ItemsPath !== undefined) refuse(name, 'ItemsPath beside ItemReader');
      checkItemReader(name, state.ItemReader);
      checkResultWriter(name, state.ResultWriter);
      into.distributed.set(name, state);
      into.tasks.set(name, { resource: distributedMapResource });
      continue;
    }
    checkFields(name, state, inlineMapFields, '');
    if (processor !== undefined) walk(processor, name, into);
  }
  return into;
}

/** The definition the interpreter runs: each Distributed Map a Task this shim handles (its paths, Retry and Catch kept). */
function standInDistributedMaps(definition: Asl, distributed: ReadonlyMap<string, AslState>): Asl {
  const states: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (!distributed.has(name)) {
      states[name] = state;
      continue;
    }
    const { ItemSelector: _s, ItemProcessor: _p, ItemReader: _r, ResultWriter: _w, ItemsPath: _i, MaxConcurrency: _m, ToleratedFailureCount: _c, ToleratedFailurePercentage: _t, Label: _l, ...kept } = state;
    states[name] = { ...kept, Type: 'Task', Resource: distributedMapResource, TimeoutSeconds: 2_000_000 };
  }
  return { ...definition, States: states };
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

/** Payload templates (ItemSelector, ItemReader/ResultWriter Parameters) evaluated by the interpreter itself, as a Pass state's Parameters. */
const templates = new Map<string, StateMachine>();
async function evaluateTemplate(template: unknown, input: unknown, context: Record<string, unknown>): Promise<unknown> {
  const text = JSON.stringify(template);
  let machine = templates.get(text);
  if (machine === undefined) {
    machine = new StateMachine({ StartAt: 'Evaluate', States: { Evaluate: { Type: 'Pass', Parameters: template, End: true } } } as never, { validationOptions: { noValidate: true } });
    templates.set(text, machine);
  }
  return machine.run(input as never, { context: context as never }).result;
}

function parseItems(map: string, text: string, inputType: string, key: string): unknown[] {
  if (inputType === 'JSONL') return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown);
  const parsed = JSON.parse(text) as unknown;
  if (!Array.isArray(parsed)) throw Object.assign(new Error(`Map ${map}: ItemReader object ${key} is not a JSON array`), { name: 'States.ItemReaderFailed' });
  return parsed;
}

/** ItemReader (arn:aws:states:::s3:getObject, JSON or JSONL) or ItemsPath: the items of one Map run. */
async function readItems(map: string, state: AslState, input: unknown, context: Record<string, unknown>, s3: LocalObjectStore | undefined): Promise<unknown[]> {
  const reader = state.ItemReader as { ReaderConfig?: Record<string, unknown>; Parameters?: Record<string, unknown> } | undefined;
  if (reader === undefined) {
    const items = state.ItemsPath === undefined ? input : (await evaluateTemplate({ 'items.$': state.ItemsPath }, input, context) as { items: unknown }).items;
    if (!Array.isArray(items)) throw Object.assign(new Error(`Map ${map}: ItemsPath does not select an array`), { name: 'States.Runtime' });
    return items;
  }
  const inputType = String(reader.ReaderConfig?.['InputType']);
  if (s3 === undefined) refuse(map, 'ItemReader without RunOptions.s3');
  const where = await evaluateTemplate(reader.Parameters, input, context) as { Bucket: string; Key: string };
  const text = await s3.get(where.Bucket, where.Key);
  if (text === undefined) throw Object.assign(new Error(`Map ${map}: ItemReader: s3://${where.Bucket}/${where.Key} does not exist`), { name: 'States.ItemReaderFailed' });
  const items = parseItems(map, text, inputType, where.Key);
  const max = reader.ReaderConfig?.['MaxItems'];
  return typeof max === 'number' ? items.slice(0, max) : items;
}

interface MapRunContext {
  name: string;
  state: AslState;
  input: unknown;
  context: Record<string, unknown>;
  options: RunOptions;
  executionName: string;
  children: ExecutionResult[];
  child: Prepared;
}

/** One Distributed Map run: child executions per item, tolerated failures, results to S3 (see the file's comment). */
async function runDistributedMap(run: MapRunContext): Promise<unknown> {
  const { name, state, input, context, options } = run;
  const items = await readItems(name, state, input, context, options.s3);
  const child = run.child;
  const mapRunId = randomUUID();
  const maxConcurrency = typeof state.MaxConcurrency === 'number' && state.MaxConcurrency > 0 ? state.MaxConcurrency : 1000;
  const toleratedCount = state.ToleratedFailureCount ?? 0;
  const toleratedPercentage = state.ToleratedFailurePercentage;
  const exceeded = (failed: number): boolean => (toleratedPercentage === undefined ? failed > toleratedCount : (failed * 100) / Math.max(1, items.length) > toleratedPercentage && failed > toleratedCount);
  const finished: Array<{ index: number; input: unknown; result: ExecutionResult; startedAt: string; stoppedAt: string }> = [];
  let next = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !exceeded(failed)) {
      const index = next;
      next += 1;
      const selected = state.ItemSelector === undefined ? items[index] : await evaluateTemplate(state.ItemSelector, input, { ...context, Map: { Item: { Index: index, Value: items[index] } } });
      const startedAt = new Date().toISOString();
      const result = await runPrepared(child, selected, { ...options, executionName: `${mapRunId}:${index}` });
      if (result.status === 'FAILED') failed += 1;
      finished.push({ index, input: selected, result, startedAt, stoppedAt: new Date().toISOString() });
      run.children.push(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(maxConcurrency, Math.max(1, items.length)) }, worker));
  const mapRunArn = `arn:aws:states:eu-west-1:123456789012:mapRun:${run.executionName}/${String(state.Label ?? name)}:${mapRunId}`;
  let output: unknown = finished.sort((a, b) => a.index - b.index).map((f) => (f.result.status === 'SUCCEEDED' ? f.result.output : { Error: f.result.error, Cause: f.result.cause }));
  if (state.ResultWriter !== undefined) {
    const writer = state.ResultWriter as { Parameters?: Record<string, unknown> };
    if (options.s3 === undefined) refuse(name, 'ResultWriter without RunOptions.s3');
    const where = await evaluateTemplate(writer.Parameters, input, context) as { Bucket: string; Prefix?: string };
    const base = `${(where.Prefix ?? '').replace(/\/+$/, '')}${where.Prefix === undefined || where.Prefix === '' ? '' : '/'}${mapRunId}/`;
    const entry = (f: (typeof finished)[number]): Record<string, unknown> => ({
      ExecutionArn: `arn:aws:states:eu-west-1:123456789012:execution:${run.executionName}/${String(state.Label ?? name)}:${f.result.name}`,
      Input: JSON.stringify(f.input), InputDetails: { Included: true }, Name: f.result.name,
      ...(f.result.status === 'SUCCEEDED' ? { Output: JSON.stringify(f.result.output), OutputDetails: { Included: true } } : { Error: f.result.error, Cause: f.result.cause }),
      RedriveCount: 0, RedriveStatus: 'NOT_REDRIVABLE', StartDate: f.startedAt, StopDate: f.stoppedAt, StateMachineArn: `${mapRunArn}`, Status: f.result.status,
    });
    const files: Record<string, Array<{ Key: string; Size: number }>> = { FAILED: [], PENDING: [], SUCCEEDED: [] };
    for (const status of ['SUCCEEDED', 'FAILED'] as const) {
      const entries = finished.filter((f) => f.result.status === status).map(entry);
      if (entries.length === 0) continue;
      const body = JSON.stringify(entries);
      const key = `${base}${status}_0.json`;
      await options.s3.put(where.Bucket, key, body);
      files[status]?.push({ Key: key, Size: Buffer.byteLength(body) });
    }
    const manifestKey = `${base}manifest.json`;
    await options.s3.put(where.Bucket, manifestKey, JSON.stringify({ DestinationBucket: where.Bucket, MapRunArn: mapRunArn, ResultFiles: files }));
    output = { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: where.Bucket, Key: manifestKey } };
  }
  if (exceeded(failed)) {
    const error = new Error(`The specified tolerated failure threshold was exceeded (${failed} of ${items.length} child executions failed; tolerated ${toleratedPercentage === undefined ? toleratedCount : `${toleratedPercentage}%`})`);
    error.name = 'States.ExceedToleratedFailureThreshold';
    throw error;
  }
  return output;
}

/** A waitForTaskToken Task: the function gets the Payload with a fresh token, then the Task waits for the answer (see the file's comment). */
async function runTokenTask(name: string, input: { FunctionName: string; Payload: unknown }, options: RunOptions): Promise<unknown> {
  const tokens = options.taskTokens;
  if (tokens === undefined) throw new Error(`local-step-functions: Task ${name} waits for a task token: pass RunOptions.taskTokens`);
  const token = `local-task-token-${randomUUID()}`;
  const answered = tokens.wait(token);
  // answered (even failed) before the function returned: kept for the race below, never unhandled
  answered.catch(() => undefined);
  try {
    await options.invoke(input.FunctionName, JSON.parse(JSON.stringify(input.Payload).replaceAll(tokenPlaceholder, token)));
  } catch (thrown) {
    tokens.forget(token);
    throw asLambdaError(thrown);
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`Task ${name}: no answer to its task token within its timeout`), { name: 'States.Timeout' })), options.taskTokenTimeoutMs ?? 30_000);
  });
  try {
    // SendTaskSuccess: its output; SendTaskFailure: its error and cause; else States.Timeout
    return await Promise.race([answered, timeout]);
  } finally {
    clearTimeout(timer);
    tokens.forget(token);
  }
}

interface Prepared {
  machine: StateMachine;
  walked: Walked;
  /** Each Distributed Map's ItemProcessor, checked and prepared before the run starts. */
  processors: Map<string, Prepared>;
}

function prepare(definition: Asl): Prepared {
  const walked = walk(definition, undefined, { tasks: new Map(), waits: [], distributed: new Map() });
  // a child execution runs the ItemProcessor as its own state machine (ProcessorConfig is the parent's business)
  const processors = new Map([...walked.distributed].map(([name, state]) => {
    const { ProcessorConfig: _config, ...processor } = state.ItemProcessor as Asl & { ProcessorConfig?: unknown };
    return [name, prepare(processor)];
  }));
  return { machine: new StateMachine(standInDistributedMaps(definition, walked.distributed) as never), walked, processors };
}

/** History events AWS writes for one interpreter event (see the file's comment); the state's type decides the extras. */
function countEvents(event: { type: string; state?: { name: string; type: string } }, distributed: ReadonlyMap<string, AslState>): number {
  switch (event.type) {
    case 'ExecutionStarted':
    case 'ExecutionSucceeded':
    case 'ExecutionFailed':
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed':
    case 'StateExited':
      return 1;
    case 'StateEntered':
    case 'StateRetried': {
      const type = event.state?.type;
      const entered = event.type === 'StateEntered' ? 1 : 0;
      if (type === 'Task') return entered + (distributed.has(event.state?.name ?? '') ? 2 : 3);
      if (type === 'Map') return entered + 2;
      return entered;
    }
    default:
      return 0;
  }
}

function sizeOf(value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value));
}

async function runPrepared(prepared: Prepared, input: unknown, options: RunOptions): Promise<ExecutionResult> {
  const { tasks, waits, distributed } = prepared.walked;
  const readsOrWritesS3 = [...distributed.values()].some((state) => state.ItemReader !== undefined || state.ResultWriter !== undefined);
  if (readsOrWritesS3 && options.s3 === undefined) throw new Error('local-step-functions: a Distributed Map reads or writes S3 (ItemReader / ResultWriter): pass RunOptions.s3');
  const executionName = options.executionName ?? 'local';
  const context = { Execution: { Id: `arn:aws:states:eu-west-1:123456789012:execution:local:${executionName}`, Name: executionName }, Task: { Token: tokenPlaceholder } };
  const children: ExecutionResult[] = [];
  const failedMaps = new Set<string>();
  const startedItems = new Map<string, Set<string>>();
  const taskResourceLocalHandlers = Object.fromEntries([...tasks].map(([name, task]) => [name, async (taskInput: unknown) => {
    const map = distributed.get(name);
    const child = prepared.processors.get(name);
    if (map !== undefined && child !== undefined) return runDistributedMap({ name, state: map, input: taskInput, context: { ...context, Execution: { ...context.Execution, StartTime: new Date().toISOString() } }, options, executionName, children, child });
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
    const text = JSON.stringify(taskInput);
    if (task.waitsForToken === true) return runTokenTask(name, JSON.parse(text) as { FunctionName: string; Payload: unknown }, options);
    if (text.includes(tokenPlaceholder)) throw new Error(`local-step-functions: Task ${name}: $$.Task.Token outside a .waitForTaskToken Task (AWS has no token there)`);
    try {
      return JSON.parse(JSON.stringify(await options.invoke(task.resource, JSON.parse(text)) ?? null)) as unknown;
    } catch (thrown) {
      throw asLambdaError(thrown);
    }
  }]));
  const execution = prepared.machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers,
      waitTimeOverrides: Object.fromEntries(waits.map((name) => [name, options.waitMs ?? 150])),
      retryIntervalOverrides: Object.fromEntries([...tasks.keys()].map((name) => [name, options.retryMs ?? 20])),
    },
    context,
  } as never);
  const history: string[] = [];
  const retried: string[] = [];
  let events = 0;
  let maxStateBytes = sizeOf(input);
  let largestStateAt = '(execution input)';
  const logged = (async () => {
    for await (const event of execution.eventLogs as AsyncIterable<{ type: string; state?: { name: string; type: string; input?: unknown; output?: unknown }; parentState?: { name: string } }>) {
      events += countEvents(event, distributed);
      if (event.type === 'StateEntered' && event.state !== undefined) history.push(event.state.name);
      if (event.type === 'StateRetried' && event.state !== undefined) retried.push(event.state.name);
      if (event.type === 'MapIterationFailed' && event.parentState !== undefined) failedMaps.add(event.parentState.name);
      if (event.type === 'StateExited' && event.state !== undefined) {
        const bytes = Math.max(sizeOf(event.state.input), sizeOf(event.state.output));
        if (bytes > maxStateBytes) {
          maxStateBytes = bytes;
          largestStateAt = event.state.name;
        }
      }
    }
  })();
  const base = { name: executionName, history, retried, children };
  try {
    const output = await execution.result;
    await logged;
    return { ...base, status: 'SUCCEEDED', output, events, maxStateBytes, largestStateAt };
  } catch (thrown) {
    await logged.catch(() => undefined);
    return { ...base, status: 'FAILED', ...readFailure(thrown), events, maxStateBytes, largestStateAt };
  }
}

/** Runs `definition` with `input` to the end, as one Step Functions execution would (its Distributed Maps' children included). */
export async function runStateMachine(definition: Asl, input: unknown, options: RunOptions): Promise<ExecutionResult> {
  return runPrepared(prepare(definition), input, options);
}

/**
 * The stack's reports bucket as the extracted definitions name it (`ref-ReportsBucket…`, a flattened
 * Ref) served by a report store: where the tests keep the run store, the Distributed Maps read their
 * items and write their results. Any other bucket is refused.
 */
export function serveReportsBucket(store: { get(key: string): Promise<string | undefined>; put(key: string, body: string, contentType: string): Promise<void> }): LocalObjectStore {
  const check = (bucket: string): void => {
    if (!bucket.startsWith('ref-ReportsBucket')) throw new Error(`local-step-functions: bucket ${bucket} is not the stack's reports bucket`);
  };
  return {
    get: (bucket, key) => {
      check(bucket);
      return store.get(key);
    },
    put: (bucket, key, body) => {
      check(bucket);
      return store.put(key, body, 'application/json');
    },
  };
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
