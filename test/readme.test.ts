// The README's reference sections are derived from code; they must say what the code does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { regenerate, readmePath } from '../scripts/readme.ts';
import { tenancyErrors } from '../src/tenancy/errors.ts';

const readme = readFileSync(readmePath, 'utf8');

test('the generated README sections are current (run `npm run readme`)', () => {
  assert.equal(readme, regenerate(readme));
});

test('every agent failure code is explained in the troubleshooting section', () => {
  const catalog = readFileSync(fileURLToPath(new URL('../agent/src/errors.ts', import.meta.url)), 'utf8');
  const declarations = /interface Catalog \{\n([\s\S]*?)\n\}/.exec(catalog)?.[1] ?? '';
  const codes = [...declarations.matchAll(/^\s+(AGENT_[A-Z_]+):/gm)].map((match) => match[1]);
  assert.ok(codes.length > 10, 'the agent catalog was not read');
  for (const code of codes) assert.ok(readme.includes(`\`${code}\``), `${code} is not in the README`);
});

test('every tenancy denial code is explained in the troubleshooting section', () => {
  const denials = Object.values(tenancyErrors).filter((entry) => entry.denies).map((entry) => entry.code);
  assert.ok(denials.length >= 6);
  for (const code of denials) assert.ok(readme.includes(`\`${code}\``), `${code} is not in the README`);
});
