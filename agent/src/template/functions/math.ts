// consul-template's math helpers: (b, a interface{}) -> a OP b, so {{ 10 | divide 2 }} is 10/2.
// int with int gives int64, anything with a float float64; strings and json.Number are refused.
import { sprintf } from '../format.ts';
import { GoInt, goInt, typeOf } from '../values.ts';
import type { GoFunction, GoValue } from '../values.ts';
import { fn, goError } from './define.ts';

export type MathOp = 'add' | 'subtract' | 'multiply' | 'divide' | 'modulo' | 'minimum' | 'maximum';

function numericKind(v: GoValue): 'int' | 'uint' | 'float' | undefined {
  if (v instanceof GoInt) return v.signed ? 'int' : 'uint';
  if (typeof v === 'number') return 'float';
  return undefined;
}

function asFloat(v: GoValue): number {
  if (v instanceof GoInt) return Number(v.value);
  return v as number;
}

function asInt64(v: GoValue): bigint {
  return BigInt.asIntN(64, (v as GoInt).value);
}

export function mathFunction(op: MathOp): GoFunction {
  return fn(['interface {}', 'interface {}'], (args) => {
    const b = args[0];
    const a = args[1];
    for (const v of [a, b]) {
      if (v === null || v === undefined) throw goError('reflect: call of reflect.Value.Interface on zero Value');
      if (numericKind(v) === undefined) throw goError(`${op}: unknown type for ${sprintf('%q', [v])} (${typeOf(v)})`);
    }
    if (op === 'minimum' || op === 'maximum') {
      return (op === 'minimum') === (asFloat(a) <= asFloat(b)) ? a : b;
    }
    if (numericKind(a) === 'float' || numericKind(b) === 'float') {
      if (op === 'modulo') throw goError(`modulo: unknown type for ${sprintf('%q', [b])} (${typeOf(b)})`);
      const x = asFloat(a);
      const y = asFloat(b);
      switch (op) {
        case 'add': return x + y;
        case 'subtract': return x - y;
        case 'multiply': return x * y;
        case 'divide': return x / y;
      }
    }
    const x = asInt64(a);
    const y = asInt64(b);
    let r: bigint;
    switch (op) {
      case 'add': r = x + y; break;
      case 'subtract': r = x - y; break;
      case 'multiply': r = x * y; break;
      case 'divide':
        if (y === 0n) throw goError('runtime error: integer divide by zero');
        r = x / y; break;
      case 'modulo':
        if (y === 0n) throw goError('runtime error: integer divide by zero');
        r = x % y; break;
    }
    return goInt(BigInt.asIntN(64, r), 'int64');
  });
}

