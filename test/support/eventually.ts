/**
 * Retries an assertion until it passes or `timeoutMs` of real time passes: activities and
 * workflow tasks complete asynchronously after a time skip or an update returns. The default wait
 * is generous because CI shares two cores between the servers, the worker and jest.
 */
export async function eventually<T>(assertion: () => T | Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
