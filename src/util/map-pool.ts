/**
 * Maps with at most `concurrency` calls in flight. Used where each call holds memory until it is
 * done (a rendered bulk-create batch): the HTTP lanes pace requests, this bounds what waits for them.
 */
export async function mapPool<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    // After a failure no new item starts; the calls under way finish before the error surfaces.
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  const rejection = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (rejection) throw rejection.reason;
  return results;
}
