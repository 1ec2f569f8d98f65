// sprig's semver and semverCompare: Masterminds/semver v3 (the version sprig v3.3.0 requires),
// written out because npm's semver has other rules (leading zeros, "1.2" as a version, "x"
// wildcards in plain constraints, prerelease matching) and other error texts.
import { GoError, GoInt, GoStruct, structType } from '../values.ts';
import type { GoFunction, GoValue, StructType } from '../values.ts';
import { fn } from './define.ts';

interface Version { major: bigint; minor: bigint; patch: bigint; pre: string; metadata: string; original: string }

// Go's \s is [\t\n\f\r ] (JavaScript's also takes \v and Unicode spaces)
const S = '[\\t\\n\\f\\r ]';
const VERSION = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
const CV = 'v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?';
const OPS = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^';
const CONSTRAINT = new RegExp(`^${S}*(${OPS})${S}*(${CV})${S}*$`);
const RANGE = new RegExp(`${S}*(${CV})${S}+-${S}+(${CV})${S}*`, 'g');
const FIND = new RegExp(`(${OPS})${S}*(${CV})`, 'g');
const VALID = new RegExp(`^(${S}*(${OPS})${S}*(${CV})${S}*)((?:${S}+|,${S}*)(${OPS})${S}*(${CV})${S}*)*$`);

const UINT64_MAX = (1n << 64n) - 1n;

function parseUint(digits: string): bigint {
  const value = BigInt(digits);
  if (value > UINT64_MAX) throw new GoError(`Error parsing version segment: strconv.ParseUint: parsing ${JSON.stringify(digits)}: value out of range`);
  return value;
}

export function newVersion(v: string): Version {
  const m = VERSION.exec(v);
  if (m === null) throw new GoError('Invalid Semantic Version');
  const version: Version = {
    major: parseUint(m[1]!),
    minor: m[2] === undefined ? 0n : parseUint(m[2].slice(1)),
    patch: m[3] === undefined ? 0n : parseUint(m[3].slice(1)),
    pre: m[5] ?? '',
    metadata: m[8] ?? '',
    original: v,
  };
  if (version.pre !== '') {
    for (const part of version.pre.split('.')) {
      if (/^[0-9]+$/.test(part) && part.length > 1 && part.startsWith('0')) throw new GoError('Version segment starts with 0');
    }
  }
  return version;
}

function versionString(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}` + (v.pre !== '' ? `-${v.pre}` : '') + (v.metadata !== '' ? `+${v.metadata}` : '');
}

const isUint64 = (s: string): boolean => /^[0-9]+$/.test(s) && BigInt(s) <= UINT64_MAX;

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return -1;
  if (o === '') return 1;
  const sNum = isUint64(s);
  const oNum = isUint64(o);
  if (!sNum && !oNum) return s > o ? 1 : -1; // Go compares the bytes; these are ASCII
  if (!oNum) return -1;
  if (!sNum) return 1;
  return BigInt(s) > BigInt(o) ? 1 : -1;
}

function comparePrerelease(a: string, b: string): number {
  const ap = a.split('.');
  const bp = b.split('.');
  for (let i = 0; i < Math.max(ap.length, bp.length); i++) {
    const d = comparePrePart(ap[i] ?? '', bp[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

export function compareVersions(v: Version, o: Version): number {
  for (const [a, b] of [[v.major, o.major], [v.minor, o.minor], [v.patch, o.patch]] as const) {
    if (a !== b) return a < b ? -1 : 1;
  }
  if (v.pre === '' && o.pre === '') return 0;
  if (v.pre === '') return 1;
  if (o.pre === '') return -1;
  return comparePrerelease(v.pre, o.pre);
}

interface Constraint { op: string; con: Version; minorDirty: boolean; patchDirty: boolean; dirty: boolean }

const isX = (s: string): boolean => s === 'x' || s === 'X' || s === '*';

function parseConstraint(c: string): Constraint {
  const m = CONSTRAINT.exec(c);
  if (m === null) throw new GoError(`improper constraint: ${c}`);
  const major = m[3] ?? '';
  const minor = m[4] ?? '';
  const patch = m[5] ?? '';
  const pre = m[6] ?? '';
  let ver = m[2]!;
  let minorDirty = false;
  let patchDirty = false;
  let dirty = false;
  if (isX(major) || major === '') {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (isX(minor.slice(1)) || minor === '') {
    minorDirty = true;
    dirty = true;
    ver = `${major}.0.0${pre}`;
  } else if (isX(patch.slice(1)) || patch === '') {
    dirty = true;
    patchDirty = true;
    ver = `${major}${minor}.0${pre}`;
  }
  let con: Version;
  try {
    con = newVersion(ver);
  } catch {
    throw new GoError('constraint Parser Error');
  }
  return { op: m[1]!, con, minorDirty, patchDirty, dirty };
}

export function newConstraint(text: string): Constraint[][] {
  let c = text;
  for (const m of text.matchAll(RANGE)) c = c.replace(m[0], `>= ${m[1]!}, <= ${m[11]!} `);
  return c.split('||').map((part) => {
    if (!VALID.test(part)) throw new GoError(`improper constraint: ${part}`);
    const found = [...part.matchAll(FIND)].map((m) => m[0]);
    return (found.length === 0 ? [part] : found).map(parseConstraint);
  });
}

function tilde(v: Version, c: Constraint): boolean {
  if (compareVersions(v, c.con) < 0) return false;
  if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.con.major) return false;
  if (v.minor !== c.con.minor && !c.minorDirty) return false;
  return true;
}

function check(v: Version, c: Constraint): boolean {
  const con = c.con;
  // a prerelease only satisfies a constraint that names a prerelease (semver issue 21); `!=`
  // asks that only of a wildcard constraint
  const preBlocked = v.pre !== '' && con.pre === '';
  if (preBlocked && c.op !== '!=') return false;
  const cmp = compareVersions(v, con);
  switch (c.op) {
    case '': case '=':
      return c.dirty ? tilde(v, c) : cmp === 0;
    case '!=':
      if (c.dirty) {
        if (preBlocked) return false;
        if (con.major !== v.major) return true;
        if (con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) {
          if (v.pre !== '' || con.pre !== '') return comparePrerelease(v.pre, con.pre) !== 0;
          return false;
        }
      }
      return cmp !== 0;
    case '>':
      if (!c.dirty) return cmp === 1;
      if (v.major > con.major) return true;
      if (v.major < con.major) return false;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > con.minor;
      return cmp === 1;
    case '<':
      return cmp < 0;
    case '>=': case '=>':
      return cmp >= 0;
    case '<=': case '=<':
      if (!c.dirty) return cmp <= 0;
      if (v.major > con.major) return false;
      if (v.major === con.major && v.minor > con.minor && !c.minorDirty) return false;
      return true;
    case '~': case '~>':
      return tilde(v, c);
    case '^':
      if (cmp < 0) return false;
      if (con.major > 0n || c.minorDirty) return v.major === con.major;
      if (v.major > 0n) return false;
      if (con.minor > 0n || c.patchDirty) return v.minor === con.minor;
      if (v.minor > 0n) return false;
      return con.patch === v.patch;
  }
  throw new Error(`semver: no operator ${c.op}`);
}

export function checkConstraint(constraints: Constraint[][], v: Version): boolean {
  return constraints.some((and) => and.every((c) => check(v, c)));
}

// ---------------------------------------------------------------------------------------------
// *semver.Version as templates see it

const uint64 = (value: bigint): GoInt => new GoInt('uint64', value);
const versionOf = (value: GoValue): Version => {
  const s = value as GoStruct;
  const [major, minor, patch, pre, metadata, original] = s.values as [GoInt, GoInt, GoInt, string, string, string];
  return { major: major.value, minor: minor.value, patch: patch.value, pre, metadata, original };
};
const method = (params: string[], f: (v: Version, args: GoValue[]) => GoValue): GoFunction =>
  fn(params, (a) => f(versionOf(a[0]), a.slice(1)), { returnsError: false });

function increment(v: Version, part: 'major' | 'minor' | 'patch'): Version {
  // IncPatch of a prerelease only drops the prerelease (1.2.3-a → 1.2.3); original keeps a "v"
  const next = part === 'patch' && v.pre !== '' ? { ...v, pre: '', metadata: '' } : {
    major: part === 'major' ? v.major + 1n : v.major,
    minor: part === 'major' ? 0n : part === 'minor' ? v.minor + 1n : v.minor,
    patch: part === 'patch' ? v.patch + 1n : 0n,
    pre: '', metadata: '', original: '',
  };
  return { ...next, original: (v.original.startsWith('v') ? 'v' : '') + versionString(next) };
}

// Version's value-receiver methods; the pointer has them all (a method result such as
// IncPatch's Version is not addressable, so templates only see these on it)
const valueMethods: Array<[string, GoFunction]> = [
  ['String', method([], (v) => versionString(v))],
  ['Major', method([], (v) => uint64(v.major))],
  ['Minor', method([], (v) => uint64(v.minor))],
  ['Patch', method([], (v) => uint64(v.patch))],
  ['Prerelease', method([], (v) => v.pre)],
  ['Metadata', method([], (v) => v.metadata)],
  ['IncMajor', method([], (v) => versionValue(increment(v, 'major'), 'semver.Version'))],
  ['IncMinor', method([], (v) => versionValue(increment(v, 'minor'), 'semver.Version'))],
  ['IncPatch', method([], (v) => versionValue(increment(v, 'patch'), 'semver.Version'))],
  ['MarshalJSON', method([], (v) => JSON.stringify(versionString(v)))],
  ['MarshalText', method([], (v) => versionString(v))],
];
const fields = [
  { name: 'major', type: 'uint64' }, { name: 'minor', type: 'uint64' }, { name: 'patch', type: 'uint64' },
  { name: 'pre', type: 'string' }, { name: 'metadata', type: 'string' }, { name: 'original', type: 'string' },
];
export const versionType: StructType = structType('*semver.Version', fields, new Map<string, GoFunction>([
  ...valueMethods,
  ['Original', method([], (v) => v.original)],
  ['Compare', method(['*semver.Version'], (v, [o]) => new GoInt('int', BigInt(compareVersions(v, versionOf(o)))))],
  ['LessThan', method(['*semver.Version'], (v, [o]) => compareVersions(v, versionOf(o)) < 0)],
  ['LessThanEqual', method(['*semver.Version'], (v, [o]) => compareVersions(v, versionOf(o)) <= 0)],
  ['GreaterThan', method(['*semver.Version'], (v, [o]) => compareVersions(v, versionOf(o)) > 0)],
  ['GreaterThanEqual', method(['*semver.Version'], (v, [o]) => compareVersions(v, versionOf(o)) >= 0)],
  ['Equal', method(['*semver.Version'], (v, [o]) => compareVersions(v, versionOf(o)) === 0)],
]));
const valueVersionType: StructType = structType('semver.Version', fields, new Map(valueMethods));

function versionValue(v: Version, type: '*semver.Version' | 'semver.Version' = '*semver.Version'): GoStruct {
  return new GoStruct(type === '*semver.Version' ? versionType : valueVersionType, [uint64(v.major), uint64(v.minor), uint64(v.patch), v.pre, v.metadata, v.original]);
}

export function semverFunctions(): Map<string, GoFunction> {
  return new Map<string, GoFunction>([
    ['semver', fn(['string'], (a) => versionValue(newVersion(a[0] as string)))],
    ['semverCompare', fn(['string', 'string'], (a) => {
      const constraints = newConstraint(a[0] as string);
      return checkConstraint(constraints, newVersion(a[1] as string));
    })],
  ]);
}
