/**
 * Retries an assertion until it passes or `timeoutMs` of real time passes: activities and
 * workflow tasks complete asynchronously after a time skip or an update returns.
 */
export async function eventually<T>(assertion: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
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
