import type { ContractViolation, Sandbox } from '../../src/sandbox/index.js';

// Every sandbox a test starts (checked-sandbox.ts) is held to the vendors' contracts: the sandbox refuses what the
// specifications refuse, and after each test (test/helpers/contract-setup.ts) any violation recorded and not taken by
// the test fails it: a request the client sent that the specification refuses, a call to an undocumented route, an
// answer of the sandbox outside its own specification. A test about a violation takes it with `takeViolations`.
// Type imports only: every test file loads this module (through the setup file), most never start a sandbox.

const watched = new Set<Sandbox>();

/** Holds `sandbox` to the contracts' verdicts after each test. */
export function watch<T extends Sandbox>(sandbox: T): T {
  watched.add(sandbox);
  return sandbox;
}

/** The violations recorded so far, removed so the after-test check does not fail on them. */
export function takeViolations(sandbox: Sandbox): ContractViolation[] {
  return sandbox.contractViolations.splice(0);
}

/** One line per violation: what the lead needs to schedule a fix. */
export function describeViolation(v: ContractViolation): string {
  const where = v.part === 'query' || v.part === 'path' ? `${v.part} parameter ${v.pointer}` : `${v.part} ${v.pointer || '(whole)'}`;
  const status = v.status === undefined ? '' : ` [${v.status}]`;
  return `${v.side} ${v.service} ${v.operation}${status} (route ${v.route}): ${where} ${v.message}; got ${v.value}`;
}

/** Throws when a watched sandbox recorded a violation that is not tolerated; every recorded violation is cleared. */
export function checkWatched(): void {
  const found: ContractViolation[] = [];
  for (const sb of watched) found.push(...takeViolations(sb).filter((v) => v.tolerated === undefined));
  if (found.length > 0) {
    const lines = [...new Set(found.map(describeViolation))];
    throw new Error(`the vendors' contracts were violated (${found.length}):\n  ${lines.join('\n  ')}`);
  }
}

export function forgetWatched(): void {
  watched.clear();
}
