import { create } from '@bufbuild/protobuf';
import { expect, it } from '@jest/globals';
import { ApiKeySchema, Effect, ExplainResponseSchema, ListPoliciesResponseSchema } from '@conexus/api';
import { explanationJson, formatExplanation, formatKeys, formatPolicies, policiesJson } from './format-policy.js';

const rule = { subject: 'group:eng', repo: 'web', path: 'src/**', effect: Effect.ALLOW };

it('lists rules, memberships and owned repositories as aligned tables', () => {
  const list = create(ListPoliciesResponseSchema, {
    rules: [
      { id: 'rule.a', ...rule },
      { id: 'rule.bb', subject: 'user:https://idp#bob', repo: 'web', path: 'secret/**', effect: Effect.DENY },
    ],
    memberships: [{ id: 'member.c', member: 'key:k1', role: 'role:reader' }],
    repos: ['api', 'web'],
  });
  expect(formatPolicies(list)).toBe(
    [
      'rules:',
      '  ID       EFFECT  SUBJECT               REPO:PATH',
      '  rule.a   allow   group:eng             web:src/**',
      '  rule.bb  deny    user:https://idp#bob  web:secret/**',
      '',
      'memberships:',
      '  ID        MEMBER  ROLE',
      '  member.c  key:k1  role:reader',
      '',
      'owned repositories: api, web',
      '',
    ].join('\n'),
  );
  expect(policiesJson(list).rules[1]).toEqual({
    id: 'rule.bb',
    effect: 'deny',
    subject: 'user:https://idp#bob',
    repo: 'web',
    path: 'secret/**',
  });
  expect(formatPolicies(create(ListPoliciesResponseSchema))).toBe(
    'rules: none\n\nmemberships: none\n\nowned repositories: none\n',
  );
});

it('explains a decision with its reason, matched rules and subjects', () => {
  const explained = create(ExplainResponseSchema, {
    allowed: true,
    reason: 'allowed by allow group:eng web:src/**',
    matched: [rule],
    subjects: ['user:i#alice', 'group:eng'],
  });
  expect(formatExplanation(explained)).toBe(
    'allowed: allowed by allow group:eng web:src/**\nmatched rules:\n  allow  group:eng  web:src/**\nsubjects: user:i#alice, group:eng\n',
  );
  expect(explanationJson(explained)).toEqual({
    allowed: true,
    reason: explained.reason,
    matched: [{ effect: 'allow', subject: 'group:eng', repo: 'web', path: 'src/**' }],
    subjects: ['user:i#alice', 'group:eng'],
  });
  expect(formatExplanation(create(ExplainResponseSchema, { reason: 'no rule allows it (default deny)' }))).toBe(
    'denied: no rule allows it (default deny)\nmatched rules: none\nsubjects: none\n',
  );
});

it('lists keys without secrets', () => {
  expect(formatKeys([])).toBe('no API keys\n');
  const key = create(ApiKeySchema, {
    id: 'k1',
    name: 'ci',
    roles: [],
    tenant: 'acme',
    createdAt: '2026-01-02T03:04:05.000Z',
  });
  expect(formatKeys([key])).toBe('ID  NAME  ROLES  CREATED\nk1  ci    -      2026-01-02T03:04:05.000Z\n');
});
