// consul-template's math helpers: (b, a interface{}) -> a OP b, so {{ 10 | divide 2 }} is 10/2.
// Each pair of kinds has its own result type, as in consul-template's switch: int with int or
// with uint gives int64, uint with uint uint64, anything with a float float64; minimum and
// maximum return the chosen operand converted the same way. Other kinds (strings, json.Number,
// nil) are refused, naming a first, then b.
import { sprintf } from '../format.ts';
import { GoInt, goInt, typeOf } from '../values.ts';
import type { GoFunction, GoValue } from '../values.ts';
import { fn, goError } from './define.ts';

export type MathOp = 'add' | 'subtract' | 'multiply' | 'divide' | 'modulo' | 'minimum' | 'maximum';

type Kind = 'int' | 'uint' | 'float';

function kindOf(v: GoValue): Kind | undefined {
  if (v instanceof GoInt) return v.signed ? 'int' : 'uint';
  if (typeof v === 'number') return 'float';
  return undefined;
}

/** fmt's %q of a reflect.Value: the value itself, or <invalid reflect.Value> for nil. */
function unknownType(op: MathOp, v: GoValue): Error {
  const shown = v === null || v === undefined ? '<invalid reflect.Value>' : sprintf('%q', [v]);
  return goError(`${op}: unknown type for ${shown} (${v === null || v === undefined ? '<nil>' : typeOf(v)})`);
}

const int64 = (v: GoValue): bigint => BigInt.asIntN(64, (v as GoInt).value);
const uint64 = (v: GoValue): bigint => BigInt.asUintN(64, (v as GoInt).value);
const float = (v: GoValue): number => (v instanceof GoInt ? Number(v.value) : (v as number));

function integer(op: MathOp, x: bigint, y: bigint, signed: boolean): GoValue {
  const wrap = (r: bigint): GoValue => (signed ? goInt(BigInt.asIntN(64, r), 'int64') : goInt(BigInt.asUintN(64, r), 'uint64'));
  switch (op) {
    case 'add': return wrap(x + y);
    case 'subtract': return wrap(x - y);
    case 'multiply': return wrap(x * y);
    case 'divide':
      if (y === 0n) throw goError('runtime error: integer divide by zero');
      return wrap(x / y);
    case 'modulo':
      if (y === 0n) throw goError('runtime error: integer divide by zero');
      return wrap(x % y);
    default:
      // minimum/maximum: x < y picks a (x)
      return op === 'minimum' ? wrap(x < y ? x : y) : wrap(x > y ? x : y);
  }
}

function floating(op: MathOp, x: number, y: number): number {
  switch (op) {
    case 'add': return x + y;
    case 'subtract': return x - y;
    case 'multiply': return x * y;
    case 'divide': return x / y;
    default: return op === 'minimum' ? (x < y ? x : y) : (x > y ? x : y);
  }
}

/** minimum/maximum keep the chosen side's own conversion: av.Int(), bv.Uint(), bv.Float(), ... */
function choose(op: 'minimum' | 'maximum', a: GoValue, b: GoValue, ka: Kind, kb: Kind): GoValue {
  const less = ka === 'float' || kb === 'float' ? float(a) < float(b)
    : ka === 'int' ? int64(a) < (kb === 'int' ? int64(b) : BigInt.asIntN(64, uint64(b)))
      : (kb === 'int' ? BigInt.asIntN(64, uint64(a)) < int64(b) : uint64(a) < uint64(b));
  const more = ka === 'float' || kb === 'float' ? float(a) > float(b)
    : ka === 'int' ? int64(a) > (kb === 'int' ? int64(b) : BigInt.asIntN(64, uint64(b)))
      : (kb === 'int' ? BigInt.asIntN(64, uint64(a)) > int64(b) : uint64(a) > uint64(b));
  const pickA = op === 'minimum' ? less : more;
  const [v, k] = pickA ? [a, ka] : [b, kb];
  if (k === 'float') return float(v);
  return k === 'int' ? goInt(int64(v), 'int64') : goInt(uint64(v), 'uint64');
}

export function mathFunction(op: MathOp): GoFunction {
  return fn(['interface {}', 'interface {}'], (args) => {
    const b = args[0];
    const a = args[1];
    const ka = kindOf(a);
    if (ka === undefined || (op === 'modulo' && ka === 'float')) throw unknownType(op, a);
    const kb = kindOf(b);
    if (kb === undefined || (op === 'modulo' && kb === 'float')) throw unknownType(op, b);
    if (op === 'minimum' || op === 'maximum') return choose(op, a, b, ka, kb);
    if (ka === 'float' || kb === 'float') return floating(op, float(a), float(b));
    if (ka === 'uint' && kb === 'uint') return integer(op, uint64(a), uint64(b), false);
    // int64(av.Uint()) and int64(bv.Uint()): a uint beside an int is reinterpreted as int64
    const x = ka === 'int' ? int64(a) : BigInt.asIntN(64, uint64(a));
    const y = kb === 'int' ? int64(b) : BigInt.asIntN(64, uint64(b));
    return integer(op, x, y, true);
  });
}
