/**
 * Validates a handler's input event with Powertools for AWS Lambda Parser (`parse`, with a Standard
 * Schema: the zod/mini schemas of step-input-schemas.ts) instead of hand-written checks. The first
 * issue becomes a StepInputError naming the function, the field path and what was wrong.
 */
import { parse, ParseError } from '@aws-lambda-powertools/parser';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { StepInputError } from './step-input-error.ts';

/** `waves[2].name` from a Standard Schema issue path; `(input)` for the event itself. */
function formatPath(path: StandardSchemaV1.Issue['path']): string {
  let out = '';
  for (const segment of path ?? []) {
    const key = typeof segment === 'object' ? segment.key : segment;
    out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  }
  return out === '' ? '(input)' : out;
}

/** The event as `T` once `schema` accepts it; otherwise throws StepInputError (code step.invalid-input). */
export function parseStepInput<T>(step: string, schema: StandardSchemaV1<unknown, T>, event: unknown): T {
  try {
    return parse(event, undefined, schema);
  } catch (thrown) {
    if (!(thrown instanceof ParseError)) throw thrown;
    const issues = (Array.isArray(thrown.cause) ? thrown.cause : []) as StandardSchemaV1.Issue[];
    const first = issues[0];
    const path = formatPath(first?.path);
    throw new StepInputError(
      'step.invalid-input',
      `${step} input: ${path}: ${first?.message ?? 'invalid'}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}; the state machine's Parameters for this Task (infra/constructs/state-machines.ts) or the execution's input must send it`,
      { step, path },
      { cause: thrown },
    );
  }
}
