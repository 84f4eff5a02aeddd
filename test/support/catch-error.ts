/** What `run` throws (undefined when it returns), so a test can assert on the error's class, code and context. */
export function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (thrown) {
    return thrown;
  }
  return undefined;
}
