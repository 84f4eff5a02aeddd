import { RegopsError } from '../../core/errors.ts';

/**
 * A function's environment is missing or has an unreadable setting: a deployment error (the stack
 * sets every variable, infra/regops-stack.ts), so the message names the variable to fix.
 * Code `settings.invalid`, context `{variable}`.
 */
export class SettingsError extends RegopsError {}
