import { describe, expect, it } from 'vitest';
import { RegopsError, toError } from '../../../functions/core/errors.ts';

describe('toError', () => {
  it('returns an Error as it is', () => {
    const error = new RangeError('out of range');
    expect(toError(error)).toBe(error);
  });

  it.each([
    { name: 'a string keeps its text', thrown: 'socket hang up', message: 'socket hang up' },
    { name: 'an object is never serialised into the message', thrown: { token: 'ghp_not-for-logs' }, message: 'an object was thrown instead of an Error (a bug in regops or a library; the value is the cause)' },
    { name: 'null', thrown: null, message: 'null was thrown instead of an Error (a bug in regops or a library; the value is the cause)' },
    { name: 'undefined', thrown: undefined, message: 'undefined was thrown instead of an Error (a bug in regops or a library; the value is the cause)' },
    { name: 'a number', thrown: 42, message: 'a number was thrown instead of an Error (a bug in regops or a library; the value is the cause)' },
    { name: 'an array', thrown: ['x'], message: 'an array was thrown instead of an Error (a bug in regops or a library; the value is the cause)' },
  ])('$name: RegopsError internal.non-error with the value as cause', ({ thrown, message }) => {
    const error = toError(thrown);
    expect(error).toBeInstanceOf(RegopsError);
    expect(error).toMatchObject({ code: 'internal.non-error', message });
    expect(error.cause).toBe(thrown);
  });
});
