/**
 * Structured JSON logs through Powertools for AWS Lambda (TypeScript) Logger: one object per line on
 * stdout with time, level, service, message, the commit and the cluster, and, once a handler gives it
 * the Lambda context, the request id and whether this was a cold start. Two things are ours:
 * - the line's keys (RegopsLogFormatter): `time`/`level`/`commit`/`cluster`, which the docs'
 *   Logs Insights queries use (docs/run-in-aws.md), and errors as {name, code, message} only;
 * - every printed line goes through redactSecrets (functions/adapters/secrets/redact-secrets.ts), so a
 *   secret value that reached a message or a field is printed as its digest, in any encoding.
 * Keys for one invocation (the commit and cluster of a step's input) are bound with appendKeys and
 * dropped with resetKeys; `child` binds keys for the lines of one logger value (a cluster's progress).
 */
import type { Context } from 'aws-lambda';
import { LogFormatter, LogItem, Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions, LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { redactSecrets } from '../secrets/redact-secrets.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogContext {
  commit?: string;
  cluster?: string;
  [key: string]: string | number | boolean | undefined;
}

export interface Logger {
  readonly context: Readonly<LogContext>;
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger with more context keys bound (e.g. the cluster of one iteration). */
  child(context: LogContext): Logger;
  /** Keys on every line of every logger of this family until resetKeys (one invocation's commit and cluster). */
  appendKeys(context: LogContext): void;
  resetKeys(): void;
  /** The Lambda context of this invocation: request id, function name, cold start on every line. */
  addLambdaContext(context: Context): void;
}

/** Our keys in our order; the Lambda context keys Powertools knows; then the line's own fields. */
class RegopsLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const lambda = attributes.lambdaContext;
    return new LogItem({
      attributes: {
        time: attributes.timestamp.toISOString(),
        level: attributes.logLevel.toLowerCase(),
        service: attributes.serviceName,
        message: attributes.message,
        commit: additional['commit'],
        cluster: additional['cluster'],
        function_request_id: lambda?.awsRequestId,
        cold_start: lambda?.coldStart,
        function_name: lambda?.functionName,
        xray_trace_id: attributes.xRayTraceId,
      },
    }).addAttributes(additional);
  }

  /** Errors become {name, code, message}: never a stack, never the client's exception (it carries the response). */
  override formatError(error: Error): LogAttributes {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
  }
}

/** The Powertools Logger printing through `write` (redactedLines) instead of its own Console. */
class RedactingLogger extends PowertoolsLogger {
  constructor(
    options: ConstructorOptions,
    private readonly write: (line: string) => void,
  ) {
    super(options);
  }

  protected override printLog(_logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    this.write(JSON.stringify(log.getAttributes(), this.getJsonReplacer()));
  }

  protected override createLogger(options?: ConstructorOptions): PowertoolsLogger {
    return new RedactingLogger(options ?? {}, this.write);
  }
}

export interface JsonLoggerOptions {
  service: string;
  level?: LogLevel;
  /** Where lines go; stdout by default (tests capture them). */
  write?: (line: string) => void;
}

/** `write` (stdout by default) behind redactSecrets: how every log and metric line is printed. */
export function redactedLines(write?: (line: string) => void): (line: string) => void {
  const out = write ?? ((line: string) => process.stdout.write(`${line}\n`));
  return (line) => out(redactSecrets(line));
}

function wrap(powertools: PowertoolsLogger, bound: LogContext): Logger {
  const fields = (more: Record<string, unknown> = {}): Record<string, unknown> => ({
    ...Object.fromEntries(Object.entries(bound).filter(([, value]) => value !== undefined)),
    ...more,
  });
  return {
    context: bound,
    debug: (message, more) => powertools.debug(message, fields(more)),
    info: (message, more) => powertools.info(message, fields(more)),
    warn: (message, more) => powertools.warn(message, fields(more)),
    error: (message, more) => powertools.error(message, fields(more)),
    child: (context) => wrap(powertools, { ...bound, ...context }),
    appendKeys: (context) => powertools.appendKeys(Object.fromEntries(Object.entries(context).filter(([, value]) => value !== undefined)) as LogAttributes),
    resetKeys: () => powertools.resetKeys(),
    addLambdaContext: (context) => powertools.addContext(context),
  };
}

/** Creates a logger; every line has time, level, service, message, and commit and cluster once known. */
export function createJsonLogger(options: JsonLoggerOptions, context: LogContext = {}): Logger {
  const powertools = new RedactingLogger(
    { serviceName: options.service, logLevel: (options.level ?? 'info').toUpperCase() as 'INFO', logFormatter: new RegopsLogFormatter() },
    redactedLines(options.write),
  );
  return wrap(powertools, context);
}
