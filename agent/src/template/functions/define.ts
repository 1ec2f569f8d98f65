// Helpers to declare Go functions by their signatures.
import { GoError } from '../values.ts';
import type { CallContext, GoFunction, GoType, GoValue } from '../values.ts';

export function fn(params: readonly GoType[], call: (args: GoValue[], context: CallContext) => GoValue, options: { variadic?: boolean; returnsError?: boolean } = {}): GoFunction {
  return { params, variadic: options.variadic === true, returnsError: options.returnsError !== false, call };
}

/** A (string) (string, error) helper. */
export function stringFn(call: (s: string) => string): GoFunction {
  return fn(['string'], (args) => call(args[0] as string));
}

export function goError(message: string): GoError {
  return new GoError(message);
}

/** Go's runtime panics inside a function are recovered by text/template and reported as errors. */
export function panicError(message: string): GoError {
  return new GoError(`runtime error: ${message}`);
}
