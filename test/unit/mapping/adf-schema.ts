// Checks ADF against Atlassian's published JSON schema (@atlaskit/adf-schema, json-schema/v1/full.json,
// a draft-04 schema, hence ajv-draft-04), plus the one rule that schema cannot express: a listItem
// may not start with a list (https://developer.atlassian.com/platform/framework/adf-builder/reference/nodes/listItem/).
// The schema is read from node_modules, so these checks run wherever `npm ci` ran, never skipped.
import { createRequire } from 'node:module';
import ajvDraft04 from 'ajv-draft-04';
import type { ErrorObject } from 'ajv';
import type { AdfDoc, AdfNode } from '../../../src/model/adf.js';

const require = createRequire(import.meta.url);
const fullSchema = require('@atlaskit/adf-schema/json-schema/v1/full.json') as object;
// ajv-draft-04 is CommonJS: its default import is module.exports, whose `default` is the class.
const validate = new ajvDraft04.default({ strict: false }).compile(fullSchema);

const LIST_ITEM_STARTS = new Set(['paragraph', 'codeBlock', 'mediaSingle']);

function listItemsStartingBadly(nodes: readonly AdfNode[], path: string): string[] {
  return nodes.flatMap((node, index) => {
    const here = `${path}/${index}`;
    const own =
      node.type === 'listItem' && !LIST_ITEM_STARTS.has(node.content?.[0]?.type ?? '')
        ? [`${here}: listItem starts with ${node.content?.[0]?.type ?? 'nothing'}`]
        : [];
    return [...own, ...listItemsStartingBadly(node.content ?? [], `${here}/content`)];
  });
}

/** Everything wrong with a document by Jira's ADF rules; empty when it is valid. */
export function adfProblems(doc: AdfDoc): string[] {
  const itemProblems = listItemsStartingBadly(doc.content, '/content');
  const valid: boolean = validate(doc);
  if (valid) return itemProblems;
  // Of an anyOf's many complaints, the one deepest in the document says best what is wrong.
  const deepest = (validate.errors ?? []).reduce<ErrorObject | undefined>(
    (a, b) => (a && a.instancePath.length >= b.instancePath.length ? a : b),
    undefined,
  );
  const schemaProblems = [
    `schema: ${deepest?.instancePath ?? ''} ${deepest?.message ?? 'invalid'} ${JSON.stringify(deepest?.params ?? {})}`,
  ];
  return [...schemaProblems, ...itemProblems];
}

/** The text of a document in reading order (breaks as newlines), for comparing with the input. */
export function adfText(nodes: readonly AdfNode[]): string {
  return nodes.map((node) => (node.type === 'hardBreak' ? '\n' : (node.text ?? '') + adfText(node.content ?? []))).join('');
}

/** Text without whitespace: layout (spaces, line breaks, block edges) is not content. */
export const visible = (text: string): string => text.replace(/\s+/g, '');
