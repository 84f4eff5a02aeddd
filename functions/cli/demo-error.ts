/** A demo step whose regops command gave another exit code than the story says: the demo fails, exit 1. */
import { RegopsError } from '../core/errors.ts';

export class DemoError extends RegopsError {
  constructor(command: string, exitCode: number, expected: number, meaning: string) {
    super('demo.unexpected-exit', `demo: regops ${command} exited ${exitCode}, expected ${expected} (${meaning})`, { step: command, exitCode, expected });
  }
}
