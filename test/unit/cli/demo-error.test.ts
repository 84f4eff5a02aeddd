import { describe, expect, it } from 'vitest';
import { RegopsError } from '../../../functions/core/errors.ts';
import { DemoError } from '../../../functions/cli/demo-error.ts';

describe('DemoError', () => {
  it('names the step, the exit code and the one the story expects', () => {
    const error = new DemoError('plan', 0, 2, 'changes to make');
    expect(error).toBeInstanceOf(RegopsError);
    expect(error.name).toBe('DemoError');
    expect(error.code).toBe('demo.unexpected-exit');
    expect(error.message).toBe('demo: regops plan exited 0, expected 2 (changes to make)');
    expect(error.context).toEqual({ step: 'plan', exitCode: 0, expected: 2 });
  });
});
