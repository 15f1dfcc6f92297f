import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/ledger.js';
import { seedIds } from '../../src/sandbox/index.js';
import { issuesByPbId, startE2E, type E2E } from './harness.js';

let e2e: E2E;
afterEach(async () => {
  await e2e?.close();
});

/** The items Productboard's enabled Jira integration linked, and the issue key of each. */
const nativeLinks = (e: E2E) =>
  e.sandbox.productboard.state.jiraIntegrations
    .views()
    .filter((i) => i.integrationStatus === 'enabled')
    .flatMap((i) => i.connections);

describe('moving off Productboard’s native Jira integration (real CLI)', () => {
  it('items it linked to issues of the project are adopted, not created: zero duplicates, stamped and ledgered, a rerun writes nothing', async () => {
    e2e = await startE2E({ createNativeJiraIssues: true });
    const linked = nativeLinks(e2e);
    expect(linked.length).toBeGreaterThanOrEqual(3);
    const issuesBefore = e2e.sandbox.jira.state.issues().length;

    const validate = await e2e.run(['validate']);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toMatch(
      new RegExp(`Productboard's Jira integration \\(.*\\): ${linked.length} linked items to issues of \\w+, adopted instead of created`),
    );

    const dry = await e2e.run(['sync', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`${linked.length} linked items will be adopted instead of created`);
    expect(e2e.writes()).toEqual([]);

    const run = await e2e.run(['sync']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`${linked.length} linked items adopted instead of created`);
    // 24 synced items: the linked ones kept their issue, the others were created.
    expect(e2e.sandbox.jira.state.issues()).toHaveLength(issuesBefore + 24 - linked.length);
    const byPbId = issuesByPbId(e2e.sandbox);
    for (const link of linked) {
      expect(byPbId.get(link.entityId)).toEqual([link.issueKey]);
      // Stamped: found by its label and property from now on, like an issue the sync created.
      const issue = e2e.sandbox.jira.state.issues().find((i) => i.key === link.issueKey)!;
      expect(issue.properties['pb-jira-sync']).toMatchObject({ pbId: link.entityId });
    }
    const ledger = Ledger.open(e2e.ledgerPath);
    const links = ledger.links();
    for (const link of linked) expect(links.get(link.entityId)).toMatchObject({ state: 'linked', jiraKey: link.issueKey });
    ledger.close();
    // The subfeature the integration linked sits under its feature's adopted issue.
    const sso = linked.find((l) => l.entityId === seedIds.inProgressFeature)!;
    const subLink = linked.find((l) => e2e.sandbox.productboard.state.get(l.entityId)!.parentId === seedIds.inProgressFeature);
    expect(subLink).toBeDefined();
    expect(e2e.sandbox.jira.state.issues().find((i) => i.key === subLink!.issueKey)!.parentKey).toBe(sso.issueKey);

    e2e.sandbox.resetRequestLog();
    const rerun = await e2e.run(['sync']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(e2e.writes()).toEqual([]);
    // Nothing to create: the integration is not read again.
    expect(e2e.sandbox.requests.filter((r) => r.route.includes('jira-integrations'))).toEqual([]);
  });

  it('a link to an issue outside the project is a warning naming the item; the item is created as usual', async () => {
    // The seed's links point at HUB-…, a project the sandbox's Jira does not hold.
    e2e = await startE2E();
    const run = await e2e.run(['sync']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('0 linked items adopted instead of created; 3 links not used:');
    expect(run.stdout).toMatch(
      /! "Partner SSO \(SAML\)": linked by Productboard's Jira integration \(.*\) to HUB-101, outside project \w+: not adopted, a new issue is created/,
    );
    expect(issuesByPbId(e2e.sandbox).get(seedIds.inProgressFeature)).toHaveLength(1);
  });

  it('a link to an issue that no longer exists is a warning naming the item', async () => {
    e2e = await startE2E({ createNativeJiraIssues: true });
    const link = nativeLinks(e2e).find((l) => l.entityId === seedIds.releasedFeature)!;
    e2e.sandbox.jira.state.deleteIssue(link.issueKey);
    const run = await e2e.run(['sync']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `to ${link.issueKey}, which no longer exists in the project or is not visible: not adopted, a new issue is created`,
    );
    expect(issuesByPbId(e2e.sandbox).get(seedIds.releasedFeature)).toHaveLength(1);
  });
});
