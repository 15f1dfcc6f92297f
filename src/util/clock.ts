// Time is injected so backoff and Retry-After tests run in milliseconds instead of seconds.

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Node's timers hold at most 2^31-1 ms; a longer delay fires after 1 ms instead (TimeoutOverflowWarning). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      let left = Math.max(0, ms);
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      // A wait longer than a timer can hold is slept in steps, never turned into a busy loop.
      const step = () => {
        const chunk = Math.min(left, MAX_TIMER_MS);
        left -= chunk;
        timer = setTimeout(left > 0 ? step : done, chunk);
      };
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      step();
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
