import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { loadContracts } from '../contract/load-contracts.js';
import { watch } from './contract-guard.js';

/** A sandbox with the vendors' contracts (test/contract/specs/) on, checked after each test (contract-guard.ts). */
export async function startCheckedSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return watch(await startSandbox({ contract: loadContracts(), ...options }));
}
