import type { ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { Alert } from '../../src/model/alert.js';
import { FINDING_KINDS, type Finding, type FindingKind } from '../../src/model/finding.js';
import type { StuckItem } from '../../src/model/stuck-item.js';
import { singleLine } from '../../src/util/untrusted-text.js';

// Block Kit limits (docs/vendor-notes.md §9): at most 50 blocks, a section's text at most 3000
// characters, a header at most 150. Messages over a limit are rejected, so we truncate ourselves
// and never fail on size.
export const MAX_BLOCKS = 50;
export const MAX_SECTION_TEXT = 3000;
export const MAX_HEADER_TEXT = 150;
const MAX_LINE = 600;

export interface SlackPayload {
  text: string;
  blocks: KnownBlock[];
}

const TITLES: Record<FindingKind, string> = {
  'mis-parented': 'Mis-parented',
  'wrong-level': 'Wrong level',
  orphaned: 'Orphaned',
  'missing-in-jira': 'Missing in Jira',
  untracked: 'Untracked',
  unparented: 'Unparented in Productboard',
  'ambiguous-parent': 'Ambiguous parent',
  'unparented-in-jira': 'Without a parent in Jira',
  'no-value-stream': 'No value stream',
};

/** Slack mrkdwn control characters; names from Productboard may contain them. */
export const escapeMrkdwn = (value: string): string => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const linkTo = (url: string | null, label: string): string =>
  url ? `<${url.replace(/[|>]/g, encodeURIComponent)}|${escapeMrkdwn(label)}>` : escapeMrkdwn(label);

const cut = (value: string, max: number): string => (value.length <= max ? value : `${value.slice(0, max - 1)}…`);

function findingLine(f: Finding): string {
  const pb = f.pbName ? linkTo(f.pbUrl, f.pbName) : null;
  const jira = f.jiraKey ? linkTo(f.jiraUrl, f.jiraKey) : null;
  const subject = [jira, pb].filter(Boolean).join(' · ');
  return cut(`• ${subject ? `${subject}: ` : ''}${escapeMrkdwn(f.message)}`, MAX_LINE);
}

const countBy = (findings: readonly Finding[]) => {
  const counts = new Map<FindingKind, number>();
  for (const f of findings) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  return counts;
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The Block Kit message for an alert, and its plain-text fallback, always within Slack's limits. */
export function slackMessage(alert: Alert): SlackPayload {
  switch (alert.kind) {
    case 'findings':
      return findingsMessage(alert);
    case 'pass-failing':
      return notice(
        `pb-jira-sync · ${alert.project}: scheduled pass failed`,
        `${alert.error}\nNext attempt: ${alert.nextRun ?? 'unknown'}. You will hear again when a pass succeeds.`,
      );
    case 'pass-recovered': {
      const minutes = Math.max(1, Math.round(alert.failingForMs / 60_000));
      return notice(
        `pb-jira-sync · ${alert.project}: scheduled passes recovered`,
        `The pass succeeded again after failing for about ${minutes} minute${minutes === 1 ? '' : 's'}. Last error: ${alert.lastError ?? 'unknown'}`,
      );
    }
    case 'items-stuck':
      return stuckMessage(alert);
    case 'too-many-changes':
      return refusalMessage(alert);
  }
}

/** A short message: a header and one section. */
const notice = (title: string, detail: string): SlackPayload => ({
  text: escapeMrkdwn(`${title}: ${detail}`),
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: title.slice(0, MAX_HEADER_TEXT) } },
    { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(detail).slice(0, MAX_SECTION_TEXT) } },
  ],
});

function findingsMessage(input: Extract<Alert, { kind: 'findings' }>): SlackPayload {
  const { findings, resolved, project } = input;
  const what = input.digest
    ? `${plural(findings.length, 'open hierarchy finding')}`
    : `${plural(findings.length, 'new hierarchy finding')}`;
  const title = `pb-jira-sync · ${project}: ${what}${resolved.length ? `, ${resolved.length} resolved` : ''}`;
  const counts = countBy(findings);
  const summary = FINDING_KINDS.filter((k) => counts.has(k)).map((k) => `${counts.get(k)} ${TITLES[k].toLowerCase()}`);
  const text = escapeMrkdwn(`${title}${summary.length ? ` (${summary.join(', ')})` : ''}`);

  const header: HeaderBlock = { type: 'header', text: { type: 'plain_text', text: cut(title, MAX_HEADER_TEXT), emoji: false } };
  const blocks: KnownBlock[] = [header];
  if (summary.length)
    blocks.push(
      section(
        FINDING_KINDS.filter((k) => counts.has(k))
          .map((k) => `*${TITLES[k]}*: ${counts.get(k)}`)
          .join('   '),
      ),
    );

  // Sections per kind, lines packed up to the section limit; keep the last blocks for the footer.
  const groups: LineGroup[] = FINDING_KINDS.filter((k) => counts.has(k)).map((k) => ({
    title: `*${TITLES[k]}* (${counts.get(k)})`,
    lines: findings.filter((f) => f.kind === k).map(findingLine),
  }));
  if (resolved.length)
    groups.push({
      title: `*Resolved since the last alert* (${resolved.length})`,
      lines: resolved.map((f) =>
        cut(
          `• ~${escapeMrkdwn(f.jiraKey ?? f.pbName ?? '')}~ ${escapeMrkdwn(TITLES[f.kind].toLowerCase())}: ${escapeMrkdwn(f.message)}`,
          MAX_LINE,
        ),
      ),
    });

  const packed = packSections(groups, MAX_BLOCKS - blocks.length - 2);
  blocks.push(...packed.sections);
  if (packed.shown < packed.total)
    blocks.push(section(`…and ${packed.total - packed.shown} more. Run \`pb-jira-sync reconcile\` for the full list.`));
  const footer: ContextBlock = {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${plural(input.openTotal, 'open finding')} in total · \`pb-jira-sync reconcile --fix\` repairs mis-parented and wrong-level issues`,
      },
    ],
  };
  blocks.push(footer);
  return { text, blocks };
}

const CAUSE: Record<StuckItem['cause'], string> = {
  'rejected-by-jira': 'Jira refused it',
  'invalid-in-productboard': 'cannot be synced as it is in Productboard',
};

/** One item: its issue and Productboard link, and why it is stuck, on one line whatever its name holds. */
function stuckLine(item: StuckItem, struck: boolean): string {
  const name = linkTo(item.pbUrl, singleLine(item.name) || item.pbId);
  const subject = [item.jiraKey ? escapeMrkdwn(item.jiraKey) : null, struck ? `~${name}~` : name].filter(Boolean).join(' · ');
  return cut(`• ${subject}: ${escapeMrkdwn(singleLine(`${CAUSE[item.cause]}: ${item.reason}`))}`, MAX_LINE);
}

function stuckMessage(alert: Extract<Alert, { kind: 'items-stuck' }>): SlackPayload {
  const { stuck, resolved, project } = alert;
  const what = [
    stuck.length ? `${plural(stuck.length, 'item')} not synced` : null,
    resolved.length ? `${plural(resolved.length, 'item')} resolved` : null,
  ].filter(Boolean);
  const title = `pb-jira-sync · ${project}: ${what.join(', ')}`;
  const groups: LineGroup[] = [
    { title: `*Not synced: every pass tries again, a person must act* (${stuck.length})`, lines: stuck.map((i) => stuckLine(i, false)) },
    { title: `*Resolved: synced, or no longer to sync* (${resolved.length})`, lines: resolved.map((i) => stuckLine(i, true)) },
  ].filter((g) => g.lines.length > 0);
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: cut(title, MAX_HEADER_TEXT), emoji: false } }];
  const packed = packSections(groups, MAX_BLOCKS - blocks.length - 2);
  blocks.push(...packed.sections);
  if (packed.shown < packed.total)
    blocks.push(section(`…and ${packed.total - packed.shown} more. Run \`pb-jira-sync status --json\` for the full list.`));
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${plural(alert.stuckTotal, 'item')} not synced in total · fix what the reason names (in Productboard, the mapping or Jira); the next pass takes it`,
      },
    ],
  });
  return { text: escapeMrkdwn(title), blocks };
}

const CHANGE_VERB = { create: 'create', update: 'update', move: 'move' } as const;

/** A refused pass: how many issues it would have written against the limit, the first of them, and what to do. */
function refusalMessage(alert: Extract<Alert, { kind: 'too-many-changes' }>): SlackPayload {
  const { refusal, project } = alert;
  const { counts } = refusal;
  const title = `pb-jira-sync · ${project}: ${refusal.command} refused, ${plural(refusal.issues, 'issue')} to write (limit ${refusal.limit})`;
  const lines = refusal.sample.map((s) => {
    const name = linkTo(s.pbUrl, singleLine(s.name));
    return cut(
      `• ${CHANGE_VERB[s.kind]} ${s.jiraKey ? `${escapeMrkdwn(s.jiraKey)} · ` : ''}${name}: ${escapeMrkdwn(singleLine(s.what))}`,
      MAX_LINE,
    );
  });
  const more = refusal.issues - refusal.sample.length;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(title, MAX_HEADER_TEXT), emoji: false } },
    section(`*Nothing was written.* The plan would create ${counts.create}, update ${counts.update} and move ${counts.move}.`),
    ...packSections([{ title: '*First changes*', lines }], 1).sections,
  ];
  if (more > 0) blocks.push(section(`…and ${more} more. Run \`pb-jira-sync sync --dry-run\` for the whole plan.`));
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `If a mapping edit caused this, revert it. If the change is intended: \`pb-jira-sync sync --max-changes ${refusal.issues}\`, or raise \`sync.maxChanges\``,
      },
    ],
  });
  return { text: escapeMrkdwn(title), blocks };
}

interface LineGroup {
  title: string;
  lines: string[];
}

/**
 * Groups of lines packed into at most `budget` sections of at most MAX_SECTION_TEXT characters
 * each; `shown` counts only the lines of sections that made it in.
 */
function packSections(groups: readonly LineGroup[], budget: number): { sections: SectionBlock[]; shown: number; total: number } {
  const sections: string[] = [];
  const total = groups.reduce((n, g) => n + g.lines.length, 0);
  let shown = 0;
  for (const group of groups) {
    let chunk = group.title;
    let chunkLines = 0;
    const flush = (): boolean => {
      if (sections.length >= budget) return false;
      sections.push(chunk);
      shown += chunkLines;
      return true;
    };
    let full = false;
    for (const line of group.lines) {
      if (chunk.length + 1 + line.length > MAX_SECTION_TEXT) {
        if (!flush()) {
          full = true;
          break;
        }
        chunk = '';
        chunkLines = 0;
      }
      chunk = chunk ? `${chunk}\n${line}` : line;
      chunkLines += 1;
    }
    if (full || !flush()) break;
  }
  return { sections: sections.map(section), shown, total };
}

const section = (text: string): SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text: cut(text, MAX_SECTION_TEXT) } });
