/**
 * The error a promise rejects with, for a test to look at its message and
 * code; a promise that resolves fails the test.
 */
export async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; offset?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string; offset?: number };
  }
  throw new Error('expected the promise to reject');
}
