// Atlassian Document Format: the rich-text format of Jira Cloud v3 descriptions
// (https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/). Types only: how
// a description is built lives in src/mapping/.

export interface AdfMark {
  type: string;
  attrs?: Record<string, unknown>;
}

export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  text?: string;
  marks?: AdfMark[];
}

export interface AdfDoc {
  version: 1;
  type: 'doc';
  content: AdfNode[];
}
