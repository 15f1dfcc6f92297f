// The sandbox's public surface: local simulators of Productboard API v2, Jira Cloud REST v3 and a Slack incoming
// webhook for the demo, the e2e tests and the benchmark. Code outside src/sandbox/ imports only this file and serve.ts.

export { startSandbox } from './start-sandbox.js';
export type { Sandbox, SandboxOptions } from './start-sandbox.js';

// Shared by the three simulators: their clock, request log, faults, the vendors' contracts, deterministic ids.
export type { SandboxClock } from './kit/clock.js';
export { uuidFromName } from './kit/deterministic-id.js';
export type { FaultPlan, FaultTarget, HostileFault } from './kit/faults.js';
export type { ContractViolation, SandboxContract, ToleratedViolation } from './kit/contract/sandbox-contract.js';
export type { OpenApiDocument } from './kit/contract/operations.js';
export { isWriteRoute } from './kit/request-kinds.js';
export type { FaultKind, RequestLogEntry, ServiceName } from './kit/request-log.js';

// Productboard: the workspace state, the workspaces to start from, its behaviour switches, and a person's button press.
export { defaultPbBehaviour, PB_READ_ONLY_SCOPES, PB_SCOPES } from './productboard/behaviour.js';
export type { PbBehaviour, PbScope } from './productboard/behaviour.js';
export { pressPluginButton } from './productboard/button-press.js';
export type { ButtonPress, PluginTrigger, PressResult } from './productboard/button-press.js';
export type { DisplayValue } from './productboard/custom-fields.js';
export { generateWorkspace } from './productboard/generate-workspace.js';
export type { GenerateWorkspaceOptions } from './productboard/generate-workspace.js';
export { buildModelWorkspace, modelIds, modelOwners } from './productboard/model-workspace.js';
export { DEFAULT_STATUSES, FEATURE_STATUSES, INITIATIVE_STATUSES, optionId, statusId, tagId } from './productboard/model.js';
export type {
  CustomFieldInput,
  CustomFieldKind,
  Granularity,
  PbEntityType,
  SeedCustomField,
  SeedEntity,
  SeedJiraIntegration,
  SeedNote,
  SeedWorkspace,
  SourceMetadata,
  StatusGroup,
  Timeframe,
} from './productboard/model.js';
export type { JiraIntegrationView } from './productboard/native-jira.js';
export { PEOPLE_API_HELP } from './productboard/people-api.js';
export type { ConnectionJson, OutboundCall } from './productboard/plugin-state.js';
export type { PbEntityView, PbNoteView } from './productboard/records.js';
export { buildSeedWorkspace, seedFieldIds, seedIds } from './productboard/seed-workspace.js';
export { PbState } from './productboard/state.js';
export type { AddEntityInput, AddNoteInput, EntityChanges } from './productboard/state.js';

// Jira: the project state, its site (types, fields, screens, workflows), ready-made sites, and snapshots to compare two runs.
export type { AdfDoc } from './jira/adf.js';
export { ISSUE_TYPES, STATUSES, TRANSITIONS } from './jira/catalog.js';
export type { StatusCategoryKey } from './jira/catalog.js';
export type { ComponentRec, UserRec, VersionRec } from './jira/directory.js';
export { FLAGGED } from './jira/field-defs.js';
export { DEFAULT_BEHAVIOUR } from './jira/options.js';
export type {
  ComponentSpec,
  CustomFieldSpec,
  CustomFieldType,
  IssueTypeSpec,
  JiraBehaviour,
  JiraSandboxOptions,
  ScreenSpec,
  TransitionSpec,
  UserSpec,
  VersionSpec,
  WorkflowSpec,
} from './jira/options.js';
export { companyManagedJira, DEFAULT_ISSUE_TYPES, deliveryModelJira, withLevelTwo } from './jira/profiles.js';
export { JiraSite } from './jira/site.js';
export { diffSnapshots, snapshotJira } from './jira/snapshot.js';
export type { IssueShape } from './jira/snapshot.js';
export { JiraState } from './jira/state.js';
export type { CreateIssueInput, IssueLinkView, JiraIssueView, RemoteLinkRec } from './jira/state.js';

// Slack: what the webhook receiver keeps.
export type { SlackMessage, SlackMode, SlackWebhookBody } from './slack/types.js';
