import type { ComponentRec, UserRec, VersionRec } from './directory.js';
import type { SelectOption } from './field-defs.js';
import type { NamedDef, PriorityDef } from './site.js';

// JSON of the things field values refer to, shaped like the spec's CustomFieldOption, Priority, Resolution,
// ProjectComponent, Version and User schemas (#/components/schemas/…).

export function optionJson(baseUrl: string, o: SelectOption): Record<string, unknown> {
  return { self: `${baseUrl}/rest/api/3/customFieldOption/${o.id}`, value: o.value, id: o.id };
}

export function priorityJson(baseUrl: string, p: PriorityDef): Record<string, unknown> {
  return {
    self: `${baseUrl}/rest/api/3/priority/${p.id}`,
    statusColor: p.statusColor,
    description: '',
    iconUrl: `${baseUrl}/images/icons/priorities/${p.name.toLowerCase().replace(/\W+/g, '')}.svg`,
    name: p.name,
    id: p.id,
  };
}

export function resolutionJson(baseUrl: string, r: NamedDef): Record<string, unknown> {
  return { self: `${baseUrl}/rest/api/3/resolution/${r.id}`, id: r.id, description: r.description, name: r.name };
}

/** A component as issue JSON carries it (`fields.components[]`). */
export function componentRefJson(baseUrl: string, c: ComponentRec): Record<string, unknown> {
  return {
    self: `${baseUrl}/rest/api/3/component/${c.id}`,
    id: c.id,
    name: c.name,
    ...(c.description !== null ? { description: c.description } : {}),
  };
}

/** ProjectComponent (GET /project/{key}/components, POST /component). */
export function componentJson(baseUrl: string, c: ComponentRec, project: { id: string; key: string }): Record<string, unknown> {
  return {
    ...componentRefJson(baseUrl, c),
    assigneeType: 'PROJECT_DEFAULT',
    realAssigneeType: 'PROJECT_DEFAULT',
    isAssigneeTypeValid: false,
    project: project.key,
    projectId: Number(project.id),
  };
}

export function versionJson(baseUrl: string, v: VersionRec, projectId: string, today: string): Record<string, unknown> {
  const out: Record<string, unknown> = { self: `${baseUrl}/rest/api/3/version/${v.id}`, id: v.id, name: v.name };
  if (v.description !== null) out['description'] = v.description;
  out['archived'] = v.archived;
  out['released'] = v.released;
  if (v.startDate !== null) out['startDate'] = v.startDate;
  if (v.releaseDate !== null) {
    out['releaseDate'] = v.releaseDate;
    out['overdue'] = !v.released && v.releaseDate < today;
  }
  out['projectId'] = Number(projectId);
  return out;
}

/** User; an email the person hides is left out (https://developer.atlassian.com/cloud/jira/platform/profile-visibility/). */
export function userJson(baseUrl: string, u: UserRec): Record<string, unknown> {
  return {
    self: `${baseUrl}/rest/api/3/user?accountId=${encodeURIComponent(u.accountId)}`,
    accountId: u.accountId,
    accountType: 'atlassian',
    ...(u.emailVisible ? { emailAddress: u.email } : {}),
    displayName: u.displayName,
    active: u.active,
    timeZone: 'UTC',
  };
}
