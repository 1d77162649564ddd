import { expect, it } from '@jest/globals';
import { syntheticPolicy } from './synthetic-policy.js';

const size = { tenants: 3, repos: 200, groups: 60, roles: 40, rules: 2000 };

it('generates the asked-for policy, the same one for the same seed', () => {
  const policy = syntheticPolicy(size, 'https://idp.test');
  const kinds = [...policy.entries.values()].map((entry) => entry.kind);
  expect(kinds.filter((kind) => kind === 'rule')).toHaveLength(2000);
  expect(kinds.filter((kind) => kind === 'owner')).toHaveLength(200);
  expect(kinds.filter((kind) => kind === 'member')).toHaveLength(policy.counts.memberships);
  expect(policy.counts.deny).toBeGreaterThan(100);
  expect([...policy.entries]).toEqual([...syntheticPolicy(size, 'https://idp.test').entries]);
});

it('keeps deny rules off the bare * repository glob and draws principals with 1–5 groups and 0–3 roles of their tenant', () => {
  const policy = syntheticPolicy(size, 'https://idp.test');
  for (const entry of policy.entries.values())
    if (entry.kind === 'rule' && entry.effect === 'deny') expect(entry.repo).not.toBe('*');
  for (const principal of policy.principals) {
    expect(principal.groups.length).toBeGreaterThanOrEqual(1);
    expect(principal.groups.length).toBeLessThanOrEqual(5);
    expect(principal.roles.length).toBeLessThanOrEqual(3);
    for (const group of principal.groups) expect(policy.groupsOf.get(principal.tenant)).toContain(group);
  }
});
