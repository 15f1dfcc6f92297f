import { isRecord } from '../kit/http.js';

// A structural ADF check, strict enough to catch what breaks real Jira writes: the `doc` root must have
// version 1 and a content array; every node needs a known `type`; `text` nodes need non-empty `text`
// (https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/, and the JSON schema published in the
// @atlaskit/adf-schema package). It is not a full schema validation (no nesting rules).

export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: unknown[];
}

const NODE_TYPES = new Set([
  'paragraph',
  'text',
  'heading',
  'bulletList',
  'orderedList',
  'listItem',
  'codeBlock',
  'blockquote',
  'rule',
  'hardBreak',
  'mention',
  'emoji',
  'panel',
  'table',
  'tableRow',
  'tableHeader',
  'tableCell',
  'mediaSingle',
  'media',
  'mediaGroup',
  'mediaInline',
  'inlineCard',
  'blockCard',
  'embedCard',
  'expand',
  'nestedExpand',
  'status',
  'date',
  'decisionList',
  'decisionItem',
  'taskList',
  'taskItem',
  'placeholder',
  'layoutSection',
  'layoutColumn',
  'extension',
  'bodiedExtension',
  'inlineExtension',
]);

const MARK_TYPES = new Set([
  'strong',
  'em',
  'underline',
  'strike',
  'code',
  'link',
  'subsup',
  'textColor',
  'backgroundColor',
  'alignment',
  'indentation',
  'breakout',
  'border',
  'annotation',
  'dataConsumer',
  'fragment',
]);

/** Returns a problem description, or undefined when the value is an acceptable ADF document. */
export function adfProblem(value: unknown): string | undefined {
  if (!isRecord(value) || value['type'] !== 'doc') return 'root must be an object with type "doc"';
  if (value['version'] !== 1) return 'doc.version must be 1';
  if (!Array.isArray(value['content'])) return 'doc.content must be an array';
  for (const n of value['content']) {
    const p = nodeProblem(n, 1);
    if (p) return p;
  }
  return undefined;
}

function nodeProblem(node: unknown, depth: number): string | undefined {
  if (depth > 64) return 'document nested too deeply';
  if (!isRecord(node) || typeof node['type'] !== 'string') return 'every node must be an object with a string type';
  const type = node['type'];
  if (type === 'doc') return 'doc may only be the root node';
  if (!NODE_TYPES.has(type)) return `unknown node type "${type}"`;
  if (type === 'text') {
    if (typeof node['text'] !== 'string' || node['text'] === '') return 'text nodes must have a non-empty text';
  }
  if (type === 'heading') {
    const attrs = node['attrs'];
    const level = isRecord(attrs) ? attrs['level'] : undefined;
    if (typeof level !== 'number' || level < 1 || level > 6) return 'heading needs attrs.level 1..6';
  }
  const marks = node['marks'];
  if (marks !== undefined) {
    if (!Array.isArray(marks)) return 'marks must be an array';
    for (const m of marks) {
      if (!isRecord(m) || typeof m['type'] !== 'string' || !MARK_TYPES.has(m['type']))
        return `unknown mark ${JSON.stringify(isRecord(m) ? m['type'] : m)}`;
      if (m['type'] === 'link') {
        const attrs = m['attrs'];
        if (!isRecord(attrs) || typeof attrs['href'] !== 'string') return 'link marks need attrs.href';
      }
    }
  }
  const content = node['content'];
  if (content !== undefined) {
    if (!Array.isArray(content)) return `${type}.content must be an array`;
    for (const c of content) {
      const p = nodeProblem(c, depth + 1);
      if (p) return p;
    }
  }
  return undefined;
}
