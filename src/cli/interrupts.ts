import { setMaxListeners } from 'node:events';

/** How long requests in flight may finish after SIGTERM/SIGINT before they are abandoned. */
export const SHUTDOWN_GRACE_MS = 10_000;

export interface Interrupts {
  /** Aborted on the first SIGTERM/SIGINT: start no new work. */
  stop: AbortSignal;
  /** Aborted after the grace period (or a second signal): abandon requests in flight. */
  cancel: AbortSignal;
  /** Removes the process handlers (the command is over). */
  dispose(): void;
}

/**
 * Ties SIGINT/SIGTERM to two signals for the whole process: the first stops new requests and lets
 * the request in flight finish for a bounded grace period, after which (or on a second signal) it
 * is abandoned. Installed first thing, before anything slow, so a signal during start-up also ends
 * the command cleanly. `early` replays signals that arrived before (the launcher records them).
 */
export function installInterrupts(graceMs = SHUTDOWN_GRACE_MS, early: readonly NodeJS.Signals[] = []): Interrupts {
  const stop = new AbortController();
  const cancel = new AbortController();
  // Every request in flight listens on these two signals (axios, sleeps): hundreds at once is the
  // design, not a leak, so Node's default warning at 10 listeners would only garble stderr.
  setMaxListeners(0, stop.signal, cancel.signal);
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
  for (const signal of early) onSignal(signal);
  return {
    stop: stop.signal,
    cancel: cancel.signal,
    dispose() {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
