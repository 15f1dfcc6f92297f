import type { ComponentSpec, UserSpec, VersionSpec } from './options.js';

// The project's components and versions and the site's users: what fields of type component, version and user refer
// to. Names are unique per project, as Jira enforces (POST /rest/api/3/component and /version answer 400 on a clash).

export interface ComponentRec {
  id: string;
  name: string;
  description: string | null;
}

export interface VersionRec {
  id: string;
  name: string;
  description: string | null;
  released: boolean;
  archived: boolean;
  releaseDate: string | null;
  startDate: string | null;
}

export interface UserRec {
  accountId: string;
  displayName: string;
  email: string;
  active: boolean;
  emailVisible: boolean;
}

export class JiraDirectory {
  private readonly components = new Map<string, ComponentRec>();
  private readonly versions = new Map<string, VersionRec>();
  private readonly users = new Map<string, UserRec>();
  private nextComponentId = 10000;
  private nextVersionId = 10000;

  listComponents(): ComponentRec[] {
    return [...this.components.values()];
  }

  listVersions(): VersionRec[] {
    return [...this.versions.values()];
  }

  listUsers(): UserRec[] {
    return [...this.users.values()];
  }

  /** By id, or by name as Jira matches component names on create (exactly). */
  component(ref: { id?: string; name?: string }): ComponentRec | undefined {
    if (ref.id !== undefined) return this.components.get(ref.id);
    return this.listComponents().find((c) => c.name === ref.name);
  }

  version(ref: { id?: string; name?: string }): VersionRec | undefined {
    if (ref.id !== undefined) return this.versions.get(ref.id);
    return this.listVersions().find((v) => v.name === ref.name);
  }

  user(accountId: string): UserRec | undefined {
    return this.users.get(accountId);
  }

  /** Adds a component; throws when the name is taken or invalid (the HTTP layer checks first and answers 400). */
  addComponent(spec: ComponentSpec): ComponentRec {
    const name = spec.name.trim();
    if (name === '' || name.length > 255) throw new Error('A component name must have 1 to 255 characters.');
    if (this.listComponents().some((c) => c.name.toLowerCase() === name.toLowerCase()))
      throw new Error(`A component with the name ${name} already exists in this project.`);
    const rec = { id: String(this.nextComponentId++), name, description: spec.description ?? null };
    this.components.set(rec.id, rec);
    return rec;
  }

  addVersion(spec: VersionSpec): VersionRec {
    const name = spec.name.trim();
    if (name === '' || name.length > 255) throw new Error('A version name must have 1 to 255 characters.');
    if (this.listVersions().some((v) => v.name.toLowerCase() === name.toLowerCase()))
      throw new Error('A version with this name already exists in this project.');
    const rec: VersionRec = {
      id: String(this.nextVersionId++),
      name,
      description: spec.description ?? null,
      released: spec.released ?? false,
      archived: spec.archived ?? false,
      releaseDate: spec.releaseDate ?? null,
      startDate: spec.startDate ?? null,
    };
    this.versions.set(rec.id, rec);
    return rec;
  }

  addUser(spec: UserSpec): UserRec {
    const accountId = spec.accountId ?? `712020:sandbox-${this.users.size + 1}-${slug(spec.displayName)}`;
    if (this.users.has(accountId)) throw new Error(`A user with account id ${accountId} already exists.`);
    const rec = {
      accountId,
      displayName: spec.displayName,
      email: spec.email,
      active: spec.active ?? true,
      emailVisible: spec.emailVisible ?? true,
    };
    this.users.set(accountId, rec);
    return rec;
  }
}

const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
