/** Runs an action that must throw and returns what it threw, so a test can inspect the error's fields. */
export function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected the action to throw, and it returned");
}

/** The asynchronous twin of {@link catchError}. */
export async function catchRejection(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error("expected the action to reject, and it resolved");
}
