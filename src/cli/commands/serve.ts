import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { SyncError } from '../../errors.js';
import { PROGRESS, recordPress, runPush } from '../../engine/run-push.js';
import type { Connection } from '../../model/connection.js';
import { createActionServer, type PressHandler } from '../../serve/action-server.js';
import { loggerFor, processContext, requireConfig, type CliIo } from '../context.js';
import type { Interrupts } from '../interrupts.js';

export interface ServeCommandOptions {
  port: number;
  host: string;
  tlsCert?: string;
  tlsKey?: string;
  config?: string;
  logLevel?: string;
}

const RESET: Connection = { state: 'initial' };

/**
 * `pb-jira-sync serve --port N [--host H]`: the plugin integration's action endpoint, until
 * SIGTERM/SIGINT. Plain HTTP on the given address: Productboard needs a public HTTPS URL, so it
 * runs behind a reverse proxy that terminates TLS (README, "The Productboard column and `serve`").
 * On a signal it stops taking requests and lets the pushes in flight finish their passes.
 */
export async function serveCommand(io: CliIo, options: ServeCommandOptions, interrupts: Interrupts): Promise<number> {
  const config = requireConfig(io, options.config);
  const plugin = config.productboard.pluginIntegration;
  if (!plugin)
    throw new SyncError(
      'config',
      'serve needs `productboard.pluginIntegration` in the config (the integration and its authorization secret)',
      {
        details: [`in ${config.configFile}`],
      },
    );
  const logger = loggerFor(io, options.logLevel, config.secrets, 'info');
  // A signal stops taking requests; the pushes in flight go on sending theirs until the grace period ends.
  const context = processContext(config, logger, { ...interrupts, stop: new AbortController().signal });
  const pushes = new Set<Promise<unknown>>();
  // One push at a time: each is a pass under the leases, and a second would only wait for the first.
  let queue: Promise<unknown> = Promise.resolve();
  const press: PressHandler = async (trigger, entityId) => {
    if (trigger === 'button.push') {
      recordPress(context, entityId, PROGRESS, null);
      const push = (queue = queue.then(() => runPush(context, entityId)));
      pushes.add(push);
      void push.finally(() => pushes.delete(push));
      return PROGRESS;
    }
    // Unlink: no connection until pushed again (the item's Jira sync goes on: the mapping decides it).
    // Dismiss: the error is not shown again; a different outcome is.
    recordPress(context, entityId, RESET, trigger === 'button.unlink' ? 'unlinked' : 'dismissed');
    return RESET;
  };
  const tls = tlsFiles(io, options);
  const server = createActionServer({ authorization: plugin.authorization, press, logger, ...(tls ? { tls } : {}) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  io.stdout(
    `serve: listening on ${tls ? 'https' : 'http'}://${address.address}:${address.port}${tls ? '' : " (Productboard's action URL must reach it over HTTPS: put a TLS-terminating proxy in front)"}`,
  );
  logger.info({ port: address.port }, 'serve: listening');
  await new Promise<void>((resolve) => {
    if (interrupts.stop.aborted) resolve();
    else interrupts.stop.addEventListener('abort', () => resolve(), { once: true });
  });
  logger.info({ pushes: pushes.size }, 'serve: stopping');
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  await Promise.race([Promise.allSettled([...pushes]), aborted(interrupts.cancel)]);
  io.stdout('serve: stopped');
  return 0;
}

/** `--tls-cert` and `--tls-key` together, read once at start-up. */
function tlsFiles(io: CliIo, options: ServeCommandOptions): { cert: string; key: string } | undefined {
  if (!options.tlsCert && !options.tlsKey) return undefined;
  if (!options.tlsCert || !options.tlsKey) throw new SyncError('config', 'give both --tls-cert and --tls-key (PEM files), or neither');
  const read = (file: string, what: string) => {
    try {
      return readFileSync(resolve(io.cwd, file), 'utf8');
    } catch (error) {
      throw new SyncError('config', `cannot read the TLS ${what} ${file}: ${(error as Error).message}`);
    }
  };
  return { cert: read(options.tlsCert, 'certificate'), key: read(options.tlsKey, 'key') };
}

const aborted = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
