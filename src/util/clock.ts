// Time is injected so backoff and Retry-After tests run in milliseconds instead of seconds.

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * A clock whose sleeps complete immediately while advancing virtual time: tests can assert that
 * the engine waited at least what a server asked without actually waiting.
 */
export class VirtualClock implements Clock {
  private current: number;
  readonly sleeps: number[] = [];

  constructor(start = 1_700_000_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  async sleep(ms: number): Promise<void> {
    const wait = Math.max(0, ms);
    this.sleeps.push(wait);
    this.current += wait;
    await Promise.resolve();
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
