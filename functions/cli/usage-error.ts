/** A command line regops cannot run: printed with the usage, exit 1. */
import { RegopsError } from '../core/errors.ts';

export class UsageError extends RegopsError {
  constructor(message: string) {
    super('cli.usage', message);
  }
}
