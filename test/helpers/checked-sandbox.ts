import { startSandbox, type PbBehaviour, type Sandbox, type SandboxContract, type SandboxOptions } from '../../src/sandbox/index.js';
import { loadContracts } from '../contract/load-contracts.js';
import { watch } from './contract-guard.js';

/**
 * `PBJS_PB_BEHAVIOUR` (JSON, e.g. `{"noteShape":"examples"}`) starts every checked sandbox with those Productboard
 * behaviours (src/sandbox/productboard/behaviour.ts), so a whole suite can be run against one way Productboard may
 * resolve its documents' contradictions: `PBJS_PB_BEHAVIOUR='{"listRelationships":"omitted"}' npx vitest run test/e2e`.
 * Notes in the examples' shape break the Note schema by design; with it, those answers are tolerated.
 */
function fromEnvironment(): { behaviour: Partial<PbBehaviour>; contract: SandboxContract } {
  const behaviour = JSON.parse(process.env['PBJS_PB_BEHAVIOUR'] || '{}') as Partial<PbBehaviour>;
  const contract = loadContracts();
  if (behaviour.noteShape !== 'examples') return { behaviour, contract };
  const reason = "notes in the examples' shape (PBJS_PB_BEHAVIOUR)";
  const tolerated = ['GET /notes', 'GET /notes/{id}'].map((operation) => ({
    service: 'productboard' as const,
    side: 'response' as const,
    operation,
    reason,
  }));
  return { behaviour, contract: { ...contract, tolerated: [...(contract.tolerated ?? []), ...tolerated] } };
}

/** A sandbox with the vendors' contracts (test/contract/specs/) on, checked after each test (contract-guard.ts). */
export async function startCheckedSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const { behaviour, contract } = fromEnvironment();
  return watch(await startSandbox({ contract, ...options, productboard: { ...behaviour, ...options.productboard } }));
}
