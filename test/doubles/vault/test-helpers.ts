// Shared helpers for the double's own tests: fixtures, shape comparison, HTTP calls, a fake clock.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { VaultDouble } from './index.ts';

const fixtureDir = fileURLToPath(new URL('./fixtures/', import.meta.url));

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(`${fixtureDir}${name}`, 'utf8')) as unknown;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Asserts `actual` has every key of `expected` with the same JSON type, recursively (arrays: the
 * element type of the first expected element). `exact` also forbids extra keys at every level;
 * `skip` names keys (by dotted path) not to compare; `nullable` lists paths where null is accepted.
 */
export function assertShape(
  actual: unknown, expected: unknown,
  options: { exact?: boolean; skip?: readonly string[]; nullable?: readonly string[] } = {}, at = '$',
): void {
  if (options.skip?.includes(at)) return;
  const expectedKind = kind(expected);
  const actualKind = kind(actual);
  if (!(options.nullable?.includes(at) && actualKind === 'null')) {
    assert.equal(actualKind, expectedKind, `${at}: expected ${expectedKind}, got ${actualKind} (${JSON.stringify(actual)?.slice(0, 80)})`);
  }
  if (expectedKind === 'object' && actualKind === 'object') {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      if (options.skip?.includes(`${at}.${key}`)) continue;
      assert.ok(key in a, `${at}: missing key ${JSON.stringify(key)} (has ${Object.keys(a).join(', ')})`);
      assertShape(a[key], e[key], options, `${at}.${key}`);
    }
    if (options.exact === true) {
      for (const key of Object.keys(a)) {
        if (!options.skip?.includes(`${at}.${key}`)) assert.ok(key in e, `${at}: unexpected key ${JSON.stringify(key)}`);
      }
    }
  } else if (expectedKind === 'array' && actualKind === 'array') {
    const e = expected as unknown[];
    const a = actual as unknown[];
    if (e.length > 0) for (const [index, item] of a.entries()) assertShape(item, e[0], { ...options, exact: false }, `${at}[${index}]`);
  }
}

export interface CallResult {
  status: number;
  text: string;
  /** Parsed JSON body, undefined when the body is empty. Navigate it with pick()/pickString(). */
  body: unknown;
  headers: Headers;
}

export async function call(
  double: Pick<VaultDouble, 'address'>, method: string, path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token !== undefined) headers['X-Vault-Token'] = options.token;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(`${double.address}/v1/${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, text, body: text === '' ? undefined : JSON.parse(text), headers: response.headers };
}

/** A clock the test moves by hand. */
export function fakeClock(start = Date.UTC(2026, 0, 15, 12, 0, 0)): { now: () => number; advance(seconds: number): void } {
  let current = start;
  return {
    now: () => current,
    advance(seconds: number) {
      current += seconds * 1000;
    },
  };
}

export const aclDeniedBody = fixture('error-permission-denied-acl.response.json');
export const badTokenBody = fixture('error-permission-denied-bad-token.response.json');
export const notFoundBody = fixture('not-found-404.response.json');

/** The value at a dotted path (`auth.client_token`, `data.keys.0`), undefined when absent. */
export function pick(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export function pickString(value: unknown, path: string): string {
  const found = pick(value, path);
  assert.equal(typeof found, 'string', `${path} should be a string, got ${JSON.stringify(found)}`);
  return found as string;
}

export function pickNumber(value: unknown, path: string): number {
  const found = pick(value, path);
  assert.equal(typeof found, 'number', `${path} should be a number, got ${JSON.stringify(found)}`);
  return found as number;
}
