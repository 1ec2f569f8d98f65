// Go type names as function signatures declare them: normalised spelling, kind, and a per-function
// cache so the engine checks arguments without re-deriving anything per call.

import { namedIntType } from './values.ts';
import type { GoFunction, GoType } from './values.ts';

/** 'interface{}' and 'any' are spelled 'interface {}' as reflect prints them. */
export function normaliseType(type: GoType): GoType {
  if (!type.includes('interface{}') && !type.includes('any')) return type;
  return type.replaceAll('interface{}', 'interface {}').replace(/(^|[\]*])any$/, '$1interface {}');
}

export type ParamKind = 'bool' | 'int' | 'uint' | 'float' | 'complex' | 'string' | 'interface' | 'reflect' | 'other';

const KINDS: Record<string, ParamKind> = {
  bool: 'bool', string: 'string', 'json.Number': 'string',
  int: 'int', int8: 'int', int16: 'int', int32: 'int', int64: 'int', rune: 'int',
  uint: 'uint', uint8: 'uint', uint16: 'uint', uint32: 'uint', uint64: 'uint', uintptr: 'uint', byte: 'uint',
  float64: 'float', float32: 'float', complex128: 'complex', complex64: 'complex',
  'interface {}': 'interface', 'reflect.Value': 'reflect',
};

export function paramKind(type: GoType): ParamKind {
  const kind = KINDS[type];
  if (kind !== undefined) return kind;
  const named = namedIntType(type);
  if (named !== undefined) return named.kind[0] === 'u' ? 'uint' : 'int';
  return 'other';
}

export interface Signature {
  readonly params: readonly GoType[];
  readonly kinds: readonly ParamKind[];
  readonly variadic: boolean;
}

const signatures = new WeakMap<GoFunction, Signature>();

export function signatureOf(fn: GoFunction): Signature {
  let sig = signatures.get(fn);
  if (sig === undefined) {
    const params = fn.params.map(normaliseType);
    sig = { params, kinds: params.map(paramKind), variadic: fn.variadic === true };
    signatures.set(fn, sig);
  }
  return sig;
}
