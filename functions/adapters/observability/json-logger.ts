/**
 * Structured JSON logs, one object per line on stdout, with the commit and the cluster on every
 * line (Lambda's JSON log format keeps the object as is; CloudWatch Logs Insights queries its keys).
 * Context keys are bound once with `child`, as Powertools' logger appends persistent keys.
 */
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
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Errors become {name, code, message} (never the stack's locals, never a secret: messages carry digests only). */
function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}

function serialize(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) out[key] = value instanceof Error ? describeError(value) : value;
  return out;
}

export interface JsonLoggerOptions {
  service: string;
  level?: LogLevel;
  /** Where lines go; stdout by default (tests capture them). */
  write?: (line: string) => void;
  now?: () => Date;
}

/** Creates a logger; every line has time, level, service, message, commit and cluster (null when unknown). */
export function createJsonLogger(options: JsonLoggerOptions, context: LogContext = {}): Logger {
  const minimum = order[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const log = (level: LogLevel, message: string, fields: Record<string, unknown> = {}): void => {
    if (order[level] < minimum) return;
    write(JSON.stringify({
      time: now().toISOString(),
      level,
      service: options.service,
      message,
      commit: context.commit ?? null,
      cluster: context.cluster ?? null,
      ...Object.fromEntries(Object.entries(context).filter(([key, value]) => key !== 'commit' && key !== 'cluster' && value !== undefined)),
      ...serialize(fields),
    }));
  };
  return {
    context,
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
    child: (more) => createJsonLogger(options, { ...context, ...more }),
  };
}
