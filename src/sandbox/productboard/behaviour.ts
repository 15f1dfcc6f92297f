// How the Productboard simulator behaves where the vendor's documents leave a choice, where they contradict
// themselves, or where a test wants a hostile server. One live object per sandbox (`sandbox.productboard.behaviour`):
// tests may change it between requests. The defaults are what the sandbox always did, so a client that works against
// the defaults sees no change.

/** Scopes of the v2 bundles the sandbox serves (`security` of each operation, https://developer.productboard.com/v2/openapi). */
export const PB_SCOPES = [
  'entities:read',
  'entities:write',
  'entities:delete',
  'notes:read',
  'notes:write',
  'plugin-integrations:read',
  'plugin-integrations:write',
  'plugin-integrations:delete',
  'jira-integrations:read',
] as const;

export type PbScope = (typeof PB_SCOPES)[number];

/** What a read-only token may do: every `:read` scope and nothing else. */
export const PB_READ_ONLY_SCOPES: readonly PbScope[] = PB_SCOPES.filter((s) => s.endsWith(':read'));

export interface PbBehaviour {
  /**
   * (a) Note JSON. 'schema': `relationships {data, links}` and top-level `createdAt`/`updatedAt` (schema `Note`).
   * 'examples': as every note example of the notes document shows it, `relationships` a bare array and the two times
   * inside `fields` (`#/paths/~1notes/get/responses/200/content/application~1json/examples/success`).
   */
  noteShape: 'schema' | 'examples';
  /**
   * (b) `links.next` of POST /v2/entities/search. 'search': `/v2/entities/search?pageCursor=…`. 'list': where the only
   * example of the shared list response points, `/v2/entities?type=<type>&pageCursor=…`
   * (`#/components/responses/EntityListResponse/content/application~1json/example/links/next`). Either way the search
   * accepts `pageCursor` as its documented query parameter (`#/components/parameters/PageCursor`).
   */
  searchNextLink: 'search' | 'list';
  /**
   * (c) `relationships` on list and search results. 'inline': up to 20 with `links.next` for the rest. 'omitted': left
   * out, as in the list example, so GET /v2/entities/{id}/relationships is the only way (the key is optional in `Entity`).
   */
  listRelationships: 'inline' | 'omitted';
  /** (d) Whether link, unlink, re-parent and note (un)link bump `updatedAt` of both ends; the spec says nothing. */
  relationshipChangesBumpUpdatedAt: boolean;
  /**
   * (e) A merged-away entity on GET /v2/entities/{id} and its relationships. 'not-found': 404 as for a deleted one.
   * 'redirect': 308 Permanent Redirect to the surviving entity, as the v2 changelog of 2026-10-26 describes
   * (https://developer.productboard.com/changelog).
   */
  mergedEntities: 'not-found' | 'redirect';
  /** (f) Inline relationships per note before `relationships.links.next` takes over (NoteRelationships is paginated). */
  noteInlineRelationships: number;
  /**
   * Field `schema` in the configuration endpoints. 'inline': an inline JSON Schema object, as ConfigurationField
   * declares it. 'named': the value type's name (e.g. "RichTextFieldValue"), as the "Field Value Types" guide shows it
   * (https://developer.productboard.com/v2.0.0/reference/field-value-types).
   */
  configurationSchemas: 'inline' | 'named';
  /**
   * PATCH /v2/entities/{id} with both `data.fields` and `data.patch`. 'refuse' (400): the operation's description
   * ("You must use either `fields` or `patch` – not both"). 'accept': its request example `combined` ("You can combine
   * both approaches").
   */
  patchWithFieldsAndPatch: 'refuse' | 'accept';
  /** Hostile: every page of POST /v2/entities/search is the first one again, with the same `links.next`, forever. */
  endlessSearchCursor: boolean;
  /** Hostile: the same for GET /v2/notes. */
  endlessNotesCursor: boolean;
  /** Scopes the sandbox's token carries; an operation needing another one answers 403 (ForbiddenResponse `insufficientScope`). */
  tokenScopes: PbScope[];
  /**
   * Plugin action URLs. 'public-https': what the spec requires (https, publicly reachable, no loopback or private
   * address), so nothing on this machine can pass the probe. 'loopback-allowed': http or https on 127.0.0.1,
   * localhost or ::1 as well (TLS not verified there), so a test can run its action endpoint locally.
   */
  actionUrls: 'public-https' | 'loopback-allowed';
}

export function defaultPbBehaviour(): PbBehaviour {
  return {
    noteShape: 'schema',
    searchNextLink: 'search',
    listRelationships: 'inline',
    relationshipChangesBumpUpdatedAt: true,
    mergedEntities: 'not-found',
    noteInlineRelationships: 20,
    configurationSchemas: 'inline',
    patchWithFieldsAndPatch: 'refuse',
    endlessSearchCursor: false,
    endlessNotesCursor: false,
    tokenScopes: [...PB_SCOPES],
    actionUrls: 'public-https',
  };
}
