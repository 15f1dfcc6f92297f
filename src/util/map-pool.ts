/**
 * Maps with at most `concurrency` calls in flight. Used where each call holds memory until it is
 * done (a rendered bulk-create batch): the HTTP lanes pace requests, this bounds what waits for them.
 */
export async function mapPool<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
