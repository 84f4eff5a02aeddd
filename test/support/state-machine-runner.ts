/**
 * A local runner of Amazon States Language definitions, for the states regops' workflows use
 * (Task, Pass, Choice, Wait, Map inline and distributed, Succeed, Fail; Catch, ResultPath,
 * Parameters/ItemSelector with `.$` paths and the `$$` context). No Step Functions service runs
 * here, so the e2e test runs the definition the stack synthesizes, state by state, with each Task
 * resource bound to the local handler of that Lambda function. Semantics follow the States
 * Language specification (states-language.net) for the subset implemented; anything else throws.
 */
export interface AslState {
  Type: 'Task' | 'Pass' | 'Choice' | 'Wait' | 'Map' | 'Succeed' | 'Fail' | 'Parallel';
  Next?: string;
  End?: boolean;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  ItemSelector?: Record<string, unknown>;
  Result?: unknown;
  ResultPath?: string | null;
  InputPath?: string | null;
  OutputPath?: string | null;
  Catch?: Array<{ ErrorEquals: string[]; Next: string; ResultPath?: string | null }>;
  Choices?: ChoiceRule[];
  Default?: string;
  Seconds?: number;
  SecondsPath?: string;
  ItemsPath?: string;
  MaxConcurrency?: number;
  ToleratedFailureCount?: number;
  ItemProcessor?: Asl & { ProcessorConfig?: { Mode?: string } };
  Iterator?: Asl;
  Error?: string;
  Cause?: string;
  ErrorPath?: string;
  CausePath?: string;
}

export interface Asl {
  StartAt: string;
  States: Record<string, AslState>;
}

type ChoiceRule = Record<string, unknown> & { Variable?: string; Next?: string; And?: ChoiceRule[]; Or?: ChoiceRule[]; Not?: ChoiceRule };

export interface RunnerOptions {
  /** Runs a Task's resource (a Lambda ARN) with its input. */
  invoke(resource: string, input: unknown): Promise<unknown>;
  /** Called for each Wait state; the runner does not sleep by itself. */
  wait?(seconds: number, state: string): Promise<void>;
  executionName?: string;
  /** Guard against a loop that never ends. */
  maxTransitions?: number;
}

export interface ExecutionResult {
  status: 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: string;
  cause?: string;
  /** Every state entered, in order, as `name` (Map iterations included). */
  history: string[];
}

/** What a failed state or task raises: Step Functions' Error and Cause. */
export class StatesError extends Error {
  readonly error: string;
  constructor(error: string, override readonly cause: string) {
    super(`${error}: ${cause}`);
    this.error = error;
  }
}

type Context = { Execution: { Name: string; StartTime: string; Input: unknown }; Map?: { Item: { Index: number; Value: unknown } } };

function tokenize(path: string): Array<string | number> {
  const tokens: Array<string | number> = [];
  const pattern = /\.([A-Za-z0-9_-]+)|\[(\d+)\]/g;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(path)) !== null) {
    if (match.index !== consumed) throw new Error(`runner: unsupported path ${path}`);
    tokens.push(match[1] ?? Number(match[2]));
    consumed = pattern.lastIndex;
  }
  if (consumed !== path.length) throw new Error(`runner: unsupported path ${path}`);
  return tokens;
}

/** Reads `$…` from the input or `$$…` from the context. A missing field is States.Runtime. */
export function readPath(path: string, input: unknown, context: Context): unknown {
  const [root, rest] = path.startsWith('$$') ? [context as unknown, path.slice(2)] : path.startsWith('$') ? [input, path.slice(1)] : [undefined, undefined];
  if (rest === undefined) throw new Error(`runner: not a path: ${path}`);
  let value = root;
  for (const token of tokenize(rest)) {
    if (value === null || typeof value !== 'object' || !(token in (value as object))) {
      throw new StatesError('States.Runtime', `The JSONPath '${path}' could not be found in the input '${JSON.stringify(input)}'`);
    }
    value = (value as Record<string | number, unknown>)[token];
  }
  return value;
}

function isPresent(path: string, input: unknown, context: Context): boolean {
  try {
    readPath(path, input, context);
    return true;
  } catch {
    return false;
  }
}

/** The intrinsic functions regops' definitions use: States.ArrayContains(path, 'literal'). */
function callIntrinsic(expression: string, input: unknown, context: Context): unknown {
  const match = /^States\.ArrayContains\((\$[^,]*),\s*'((?:[^'\\]|\\.)*)'\)$/.exec(expression);
  if (match === null) throw new Error(`runner: unsupported intrinsic ${expression}`);
  const array = readPath(match[1] ?? '$', input, context);
  if (!Array.isArray(array)) throw new StatesError('States.IntrinsicFailure', `${expression}: not an array`);
  return array.includes((match[2] ?? '').replace(/\\(.)/g, '$1'));
}

/** Parameters / ItemSelector: keys ending in `.$` take the value at their path (or of an intrinsic). */
function resolveTemplate(template: unknown, input: unknown, context: Context): unknown {
  if (Array.isArray(template)) return template.map((item) => resolveTemplate(item, input, context));
  if (template === null || typeof template !== 'object') return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) {
      if (typeof value !== 'string') throw new Error(`runner: unsupported ${key}: ${String(value)}`);
      out[key.slice(0, -2)] = value.startsWith('States.') ? callIntrinsic(value, input, context) : readPath(value, input, context);
    } else {
      out[key] = resolveTemplate(value, input, context);
    }
  }
  return out;
}

function setPath(target: unknown, path: string | null | undefined, value: unknown): unknown {
  if (path === null) return target;
  if (path === undefined || path === '$') return value;
  const tokens = tokenize(path.slice(1));
  const root = structuredClone(target ?? {}) as Record<string | number, unknown>;
  let cursor = root;
  tokens.forEach((token, i) => {
    if (i === tokens.length - 1) {
      cursor[token] = value;
      return;
    }
    const next = cursor[token];
    if (next === null || typeof next !== 'object') cursor[token] = {};
    cursor = cursor[token] as Record<string | number, unknown>;
  });
  return root;
}

function evaluateRule(rule: ChoiceRule, input: unknown, context: Context): boolean {
  if (rule.And !== undefined) return rule.And.every((r) => evaluateRule(r, input, context));
  if (rule.Or !== undefined) return rule.Or.some((r) => evaluateRule(r, input, context));
  if (rule.Not !== undefined) return !evaluateRule(rule.Not, input, context);
  const variable = rule.Variable;
  if (variable === undefined) throw new Error(`runner: choice rule without Variable: ${JSON.stringify(rule)}`);
  if ('IsPresent' in rule) return isPresent(variable, input, context) === rule['IsPresent'];
  // a comparison on a missing variable is an error in Step Functions; regops' choices always set it,
  // except outcome on a poll answer, which the earlier rule catches first
  if (!isPresent(variable, input, context)) return false;
  const value = readPath(variable, input, context);
  if ('StringEquals' in rule) return value === rule['StringEquals'];
  if ('BooleanEquals' in rule) return value === rule['BooleanEquals'];
  if ('NumericEquals' in rule) return value === rule['NumericEquals'];
  if ('NumericGreaterThan' in rule) return typeof value === 'number' && value > Number(rule['NumericGreaterThan']);
  throw new Error(`runner: unsupported choice rule ${JSON.stringify(rule)}`);
}

function errorOf(thrown: unknown): StatesError {
  if (thrown instanceof StatesError) return thrown;
  // a Lambda function's error reaches Step Functions as Error = errorType, Cause = the JSON the runtime writes
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  return new StatesError(error.name, JSON.stringify({ errorType: error.name, errorMessage: error.message }));
}

async function runMap(state: AslState, name: string, input: unknown, context: Context, options: RunnerOptions, history: string[]): Promise<unknown> {
  const items = readPath(state.ItemsPath ?? '$', input, context);
  if (!Array.isArray(items)) throw new StatesError('States.Runtime', `${name}: ItemsPath did not select an array`);
  const processor = state.ItemProcessor ?? state.Iterator;
  if (processor === undefined) throw new Error(`runner: ${name} has no ItemProcessor`);
  const distributed = state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED';
  const tolerated = state.ToleratedFailureCount ?? 0;
  const limit = state.MaxConcurrency === undefined || state.MaxConcurrency === 0 ? items.length : state.MaxConcurrency;
  const results: unknown[] = new Array<unknown>(items.length);
  let failures = 0;
  let firstFailure: StatesError | undefined;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && firstFailure === undefined) {
      const index = next;
      next += 1;
      const itemContext: Context = { ...context, Map: { Item: { Index: index, Value: items[index] } } };
      const itemInput = state.ItemSelector === undefined ? items[index] : resolveTemplate(state.ItemSelector, input, itemContext);
      try {
        results[index] = await runStates(processor, itemInput, itemContext, options, history);
      } catch (thrown) {
        const error = errorOf(thrown);
        failures += 1;
        // an inline Map fails with its first failed iteration; a Distributed Map once failures exceed the tolerance
        if (!distributed) firstFailure = error;
        else if (failures > tolerated) firstFailure = new StatesError('States.ExceedToleratedFailureThreshold', `${name}: ${failures} item(s) failed, tolerated ${tolerated}; last: ${error.error}: ${error.cause}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () => worker()));
  if (firstFailure !== undefined) throw firstFailure;
  return results;
}

async function runStates(asl: Asl, input: unknown, context: Context, options: RunnerOptions, history: string[]): Promise<unknown> {
  let name: string | undefined = asl.StartAt;
  let data = input;
  const max = options.maxTransitions ?? 10_000;
  while (name !== undefined) {
    if (history.length > max) throw new Error(`runner: more than ${max} transitions (a loop that never ends?)`);
    const state: AslState | undefined = asl.States[name];
    if (state === undefined) throw new Error(`runner: no state ${name}`);
    history.push(name);
    const effective = state.InputPath === undefined ? data : state.InputPath === null ? {} : readPath(state.InputPath, data, context);
    let next: string | undefined = state.Next;
    try {
      switch (state.Type) {
        case 'Succeed':
          return state.OutputPath === undefined || state.OutputPath === null ? effective : readPath(state.OutputPath, effective, context);
        case 'Fail': {
          const error = state.ErrorPath === undefined ? state.Error ?? 'States.Fail' : String(readPath(state.ErrorPath, effective, context));
          const cause = state.CausePath === undefined ? state.Cause ?? '' : String(readPath(state.CausePath, effective, context));
          throw new StatesError(error, cause);
        }
        case 'Pass': {
          const result = state.Result ?? (state.Parameters === undefined ? effective : resolveTemplate(state.Parameters, effective, context));
          data = setPath(data, state.ResultPath, result);
          break;
        }
        case 'Task': {
          const payload = state.Parameters === undefined ? effective : resolveTemplate(state.Parameters, effective, context);
          const result = await options.invoke(state.Resource ?? '', payload);
          data = setPath(data, state.ResultPath, result);
          break;
        }
        case 'Wait': {
          const seconds = state.SecondsPath === undefined ? state.Seconds ?? 0 : Number(readPath(state.SecondsPath, effective, context));
          await options.wait?.(seconds, name);
          break;
        }
        case 'Choice': {
          const rule = (state.Choices ?? []).find((r) => evaluateRule(r, effective, context));
          next = rule?.Next ?? state.Default;
          if (next === undefined) throw new StatesError('States.NoChoiceMatched', `${name}: no choice matched`);
          break;
        }
        case 'Map': {
          const result = await runMap(state, name, effective, context, options, history);
          data = setPath(data, state.ResultPath, result);
          break;
        }
        default:
          throw new Error(`runner: state type ${state.Type} is not implemented`);
      }
    } catch (thrown) {
      const error = errorOf(thrown);
      const handler: { Next: string; ResultPath?: string | null } | undefined = state.Catch?.find((c) => c.ErrorEquals.includes('States.ALL') || c.ErrorEquals.includes(error.error));
      if (handler === undefined || (state.Type === 'Fail')) throw error;
      data = setPath(data, handler.ResultPath, { Error: error.error, Cause: error.cause });
      name = handler.Next;
      continue;
    }
    if (state.OutputPath !== undefined && state.OutputPath !== null) data = readPath(state.OutputPath, data, context);
    if (state.End === true) return data;
    name = next;
  }
  return data;
}

/** Runs an execution of `asl` with `input` to its end. */
export async function runStateMachine(asl: Asl, input: unknown, options: RunnerOptions): Promise<ExecutionResult> {
  const context: Context = { Execution: { Name: options.executionName ?? 'local', StartTime: new Date().toISOString(), Input: input } };
  const history: string[] = [];
  try {
    const output = await runStates(asl, input, context, options, history);
    return { status: 'SUCCEEDED', output, history };
  } catch (thrown) {
    const error = errorOf(thrown);
    return { status: 'FAILED', error: error.error, cause: error.cause, history };
  }
}

/**
 * The state machines of a synthesized template, with each Lambda ARN token replaced by
 * `arn:local:<function>` where <function> is the function's REGOPS_FUNCTION (its handler file).
 */
export function extractStateMachines(template: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> }): Record<string, Asl> {
  const functionOf = new Map<string, string>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const variables = (resource.Properties?.['Environment'] as { Variables?: Record<string, string> } | undefined)?.Variables;
    if (variables?.['REGOPS_FUNCTION'] !== undefined) functionOf.set(id, variables['REGOPS_FUNCTION']);
  }
  const flatten = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join !== undefined) return join[1].map(flatten).join(join[0]);
    const getAtt = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
    if (getAtt !== undefined) return `arn:local:${functionOf.get(getAtt[0]) ?? getAtt[0]}`;
    return 'TOKEN';
  };
  const machines: Record<string, Asl> = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
    machines[id] = JSON.parse(flatten(resource.Properties?.['DefinitionString'])) as Asl;
  }
  return machines;
}
