/** How long requests in flight may finish after SIGTERM/SIGINT before they are abandoned. */
export const SHUTDOWN_GRACE_MS = 10_000;

export interface Interrupts {
  /** Aborted on the first SIGTERM/SIGINT: start no new work. */
  stop: AbortSignal;
  /** Aborted after the grace period (or a second signal): abandon requests in flight. */
  cancel: AbortSignal;
}

/**
 * Runs work with signals tied to SIGINT/SIGTERM: the first stops new requests and lets the request
 * in flight finish for a bounded grace period, after which (or on a second signal) it is abandoned.
 */
export async function withInterrupts<T>(work: (signals: Interrupts) => Promise<T>, graceMs = SHUTDOWN_GRACE_MS): Promise<T> {
  const stop = new AbortController();
  const cancel = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let firstAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) {
      // A service manager signals the whole process group, and the launcher forwards the same
      // signal: a repeat within a second is the same request, not a second one.
      if (Date.now() - firstAt > 1000) cancel.abort(new Error(`received a second ${signal}`));
      return;
    }
    firstAt = Date.now();
    stop.abort(new Error(`received ${signal}`));
    timer = setTimeout(() => cancel.abort(new Error('shutdown grace period is over')), graceMs);
    timer.unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work({ stop: stop.signal, cancel: cancel.signal });
  } finally {
    if (timer) clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
