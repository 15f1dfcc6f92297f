import { readFileSync } from 'node:fs';
import type { OpenApiDocument, SandboxContract } from '../../src/sandbox/index.js';
import { KNOWN_VIOLATIONS } from './known-violations.js';

// The vendors' contracts, committed under test/contract/specs/ (see its README), loaded once per test process: the
// same objects are handed to every sandbox, so schemas compiled for one sandbox serve all the later ones.

const parsed = new Map<string, OpenApiDocument>();

/** A vendored document by its path under specs/, parsed once per test process (the one copy every test reads). */
export function vendorSpec(name: string): OpenApiDocument {
  let doc = parsed.get(name);
  if (!doc) {
    doc = JSON.parse(readFileSync(new URL(`./specs/${name}`, import.meta.url), 'utf8')) as OpenApiDocument;
    parsed.set(name, doc);
  }
  return doc;
}

const spec = vendorSpec;

/** The Productboard v2 bundles the engine and the sandbox touch. */
export const PRODUCTBOARD_BUNDLES = ['entities', 'notes', 'plugin-integrations', 'jira-integrations'] as const;

let loaded: SandboxContract | undefined;

export function loadContracts(): SandboxContract {
  loaded ??= {
    productboard: PRODUCTBOARD_BUNDLES.map((b) => spec(`productboard-v2/${b}.openapi.json`)),
    jira: [spec('jira-platform-v3.openapi.json')],
    tolerated: KNOWN_VIOLATIONS,
  };
  return loaded;
}
