import { describe, expect, it } from 'vitest';
import { resolveMappingContext } from '../../../src/engine/mapping-context.js';
import type { CompiledMapping } from '../../../src/mapping/load-mapping.js';
import type { SiteField } from '../../../src/model/ports.js';
import { formatProblem } from '../../../src/util/problems.js';
import { catalog, shippedMapping } from '../../helpers/builders.js';

// `writeBack.storyPoints` is resolved like a version 2 mapping's Jira fields: by id or name through
// the site's field list, read once per pass, whatever the mapping's version.

const SITE: SiteField[] = [
  { id: 'summary', name: 'Summary', type: 'string' },
  {
    id: 'customfield_10016',
    name: 'Story point estimate',
    type: 'number',
    custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float',
  },
  { id: 'customfield_10020', name: 'Sprint', type: 'array', items: 'json' },
  { id: 'customfield_10030', name: 'Story notes', type: 'string' },
];

function jira() {
  const calls = { siteFields: 0 };
  return {
    calls,
    siteFields: async () => {
      calls.siteFields += 1;
      return SITE;
    },
    projectOptions: async () => ({ components: [], versions: [] }),
  };
}
const source = { customFields: async () => [] };

const withPoints = (storyPoints: string | undefined, mapping: CompiledMapping = shippedMapping()): CompiledMapping => ({
  ...mapping,
  writeBack: { fields: {}, status: new Map(), ...mapping.writeBack, ...(storyPoints ? { storyPoints } : {}) },
});

describe('resolving writeBack.storyPoints', () => {
  it('by name (any case) or by id, with one read of the site’s fields', async () => {
    for (const ref of ['Story point estimate', 'story POINT estimate', 'customfield_10016']) {
      const site = jira();
      const { context, problems } = await resolveMappingContext(withPoints(ref), catalog, site, source);
      expect(problems).toEqual([]);
      expect(context.storyPoints).toMatchObject({ id: 'customfield_10016', type: 'number' });
      expect(site.calls.siteFields).toBe(1);
    }
  });

  it('a version 2 mapping reads the site’s fields once, for its targets and the points together', async () => {
    const site = jira();
    const { context } = await resolveMappingContext(
      withPoints('Story point estimate', shippedMapping('product-delivery-flow')),
      catalog,
      site,
      source,
    );
    expect(context.storyPoints?.id).toBe('customfield_10016');
    expect(site.calls.siteFields).toBe(1);
  });

  it('a version 1 mapping that names no points reads nothing', async () => {
    const site = jira();
    const { context } = await resolveMappingContext(withPoints(undefined), catalog, site, source);
    expect(context.storyPoints).toBeNull();
    expect(site.calls.siteFields).toBe(0);
  });

  it('a field that is not there, or not a number, is a located problem saying which field to name', async () => {
    const missing = await resolveMappingContext(withPoints('Story Points'), catalog, jira(), source);
    expect(missing.problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /writeBack\.storyPoints: Jira has no field "Story Points".*team-managed projects: "Story point estimate"; company-managed: "Story Points"/,
      ),
    ]);
    const text = await resolveMappingContext(withPoints('Story notes'), catalog, jira(), source);
    expect(text.problems.map(formatProblem)).toEqual([
      expect.stringContaining(
        'writeBack.storyPoints: Story notes (customfield_10030) holds string values; story points are read from a number field',
      ),
    ]);
    expect(text.context.storyPoints).toBeNull();
  });
});
