// The catalog is the single list of codes: every code the webhook raises is in it, every entry is
// raised somewhere, and the README table renders from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { errorCatalog, renderErrorCatalog } from '../../../src/errors.ts';

const RAISES_CODES = (path: string): boolean => !/\/src\/errors\.ts$/.test(path);

function sources(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('every VI_ code used in the webhook is in the catalog, and every catalog code is used', () => {
  const root = new URL('../../../src/', import.meta.url).pathname;
  const used = new Set<string>();
  for (const file of sources(root).filter(RAISES_CODES)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/\b(VI_[A-Z_]+)\b/g)) used.add(match[1] ?? '');
  }
  const catalog = new Set(Object.keys(errorCatalog));
  assert.deepEqual([...used].filter((code) => !catalog.has(code)), [], 'codes raised but not catalogued');
  assert.deepEqual([...catalog].filter((code) => !used.has(code)), [], 'catalogued codes never raised');
});

test('the README troubleshooting table lists every code', () => {
  const table = renderErrorCatalog();
  for (const code of Object.keys(errorCatalog)) assert.match(table, new RegExp(`\\| \`${code}\` \\| (yes|no) \\|`));
});
