import type { SiteField } from '../model/ports.js';

// How a Jira field takes its value, from its JsonTypeBean (`GET /rest/api/3/field`, `schema`):
// what a version 2 mapping converts a Productboard value into. One place for the rules, so the
// desired tree, `validate` and the messages agree.

export type TargetKind =
  | 'number'
  | 'text'
  /** A multi-line text field: Atlassian Document Format in REST v3. */
  | 'rich-text'
  | 'date'
  | 'option'
  | 'options'
  | 'strings'
  | 'user'
  | 'priority'
  | 'components'
  | 'versions';

const TEXTAREA = 'com.atlassian.jira.plugin.system.customfieldtypes:textarea';

/** The kind of value a field takes; null when a mapping cannot write it (a cascading select, a sprint...). */
export function targetKindOf(field: SiteField): TargetKind | null {
  switch (field.type) {
    case 'number':
      return 'number';
    case 'string':
      return field.custom === TEXTAREA ? 'rich-text' : 'text';
    case 'date':
      return 'date';
    case 'option':
      return 'option';
    case 'user':
      return 'user';
    case 'priority':
      return 'priority';
    case 'array':
      switch (field.items) {
        case 'option':
          return 'options';
        case 'string':
          return 'strings';
        case 'component':
          return 'components';
        case 'version':
          return 'versions';
        default:
          return null;
      }
    default:
      return null;
  }
}

/** Whether the kind holds a set of names rather than one value. */
export const isSetKind = (kind: TargetKind): boolean =>
  kind === 'options' || kind === 'strings' || kind === 'components' || kind === 'versions';

/** Whether values of the kind are names Jira matches whatever their case (options, priorities, components, versions). */
export const isNameKind = (kind: TargetKind): boolean =>
  kind === 'option' || kind === 'options' || kind === 'priority' || kind === 'components' || kind === 'versions';
