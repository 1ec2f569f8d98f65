import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparePriority, nameGlobMatches, vaultPatternMatches, vaultPatternProblem, winningRule } from '../../src/tenancy/patterns.ts';

// Vault's ACL glob rules (/work/shared/fixtures/vault-api/README.md §9.1), the README's own examples first.
const matching: Array<[pattern: string, path: string, matches: boolean]> = [
  ['secret/foo', 'secret/foo', true],
  ['secret/foo', 'secret/food', false],
  ['secret/foo', 'secret/foo/bar', false],
  ['secret/zip-*', 'secret/zip-zap', true],
  ['secret/zip-*', 'secret/zip-zap/zong', true],
  ['secret/bar/*', 'secret/bar/zip/zap', true],
  ['secret/bar/*', 'secret/bars/zip', false],
  ['secret/+/teamb', 'secret/x/teamb', true],
  ['secret/+/teamb', 'secret/x/y/teamb', false],
  ['secret/+/+/teamb', 'secret/x/y/teamb', true],
  ['secret/+/foo/*', 'secret/x/foo/bar', true],
  ['secret/+/foo/*', 'secret/x/foo', false],
  ['secret/+/fo*', 'secret/x/foo/bar/baz', true],
  ['secret/+/fo*', 'secret/x/bar', false],
  ['secret/data/team-a/*', 'secret/data/team-a/db', true],
  ['secret/data/team-a/*', 'secret/data/team-ab/db', false],
  ['secret/data/team-a/*', 'secret/data/team-b/db', false],
  ['database/creds/team-a-*', 'database/creds/team-a-ro', true],
  ['database/creds/team-a-*', 'database/creds/team-b-ro', false],
  // a prefix glob is not limited to a segment: team-a-* also covers team-a-b (a namespace named so)
  ['database/creds/team-a-*', 'database/creds/team-a-b-ro', true],
  ['pki/issue/team-a', 'pki/issue/team-a', true],
  ['pki/issue/team-a', 'pki/issue/team-a2', false],
];

test('Vault path patterns match as Vault ACL globs', () => {
  for (const [pattern, path, expected] of matching) {
    assert.equal(vaultPatternMatches(pattern, path), expected, `${pattern} vs ${path}`);
  }
});

test('precedence picks one winner as Vault does, exact first', () => {
  const rules = [
    { pattern: 'secret/*', capabilities: ['list'] },
    { pattern: 'secret/data/+/db', capabilities: ['update'] },
    { pattern: 'secret/data/team-a/*', capabilities: ['read'] },
    { pattern: 'secret/data/team-a/db', capabilities: ['create'] },
  ];
  assert.equal(winningRule(rules, 'secret/data/team-a/db')?.pattern, 'secret/data/team-a/db');
  // first wildcard later wins: secret/data/team-a/* (index 19) over secret/data/+/db (index 12)
  assert.equal(winningRule(rules, 'secret/data/team-a/x')?.pattern, 'secret/data/team-a/*');
  assert.equal(winningRule(rules, 'secret/data/team-b/db')?.pattern, 'secret/data/+/db');
  assert.equal(winningRule(rules, 'secret/other')?.pattern, 'secret/*');
  assert.equal(winningRule(rules, 'database/creds/x'), undefined);
  // ties broken: not ending in * wins, then fewer +, then longer, then lexicographically larger
  assert.ok(comparePriority('a/+/b*', 'a/+/bc') < 0);
  assert.ok(comparePriority('a/+/+', 'a/+/b') < 0);
  assert.ok(comparePriority('a/b*', 'a/bc*') < 0);
  assert.ok(comparePriority('a/b*', 'a/c*') < 0);
});

test('invalid Vault patterns are refused with the reason', () => {
  const cases: Array<[string, RegExp | undefined]> = [
    ['secret/data/ns/*', undefined],
    ['secret/+/ns', undefined],
    ['secret/*/ns', /only allowed as the last character/],
    ['secret/a+/ns', /whole path segment/],
    ['secret/+*', /whole path segment/],
    ['/v1/secret/x', /without a leading/],
    ['secret//x', /empty path segment/],
    ['secret/../x', /"\." or "\.\."/],
    ['secret/x?version=1', /query/],
    ['*', /every path/],
    ['', /empty/],
  ];
  for (const [pattern, problem] of cases) {
    const found = vaultPatternProblem(pattern);
    if (problem === undefined) assert.equal(found, undefined, pattern);
    else assert.match(found ?? '', problem, pattern);
  }
});

test('name globs: * matches any run, the rest is literal', () => {
  assert.equal(nameGlobMatches('team-*', 'team-a'), true);
  assert.equal(nameGlobMatches('team-*', 'teamx'), false);
  assert.equal(nameGlobMatches('team-a', 'team-a'), true);
  assert.equal(nameGlobMatches('team-a', 'team-ab'), false);
  assert.equal(nameGlobMatches('a.b', 'axb'), false);
  assert.equal(nameGlobMatches('*-prod', 'shop-prod'), true);
  assert.equal(nameGlobMatches('registry.example.com/agent:*', 'registry.example.com/agent:1.2'), true);
  assert.equal(nameGlobMatches('registry.example.com/agent:*', 'evil.example.com/registry.example.com/agent:1'), false);
});
