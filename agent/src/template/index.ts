// Public API of the template engine (Go 1.19 text/template semantics).
export {
  GoInt, JsonNumber, GoComplex, GoMap, GoSlice, GoStruct, GoNilPointer, GoFuncValue, GoError, JsonSyntaxError,
  goInt, wrapInt, intBits, structType, kindOf, typeOf, isTrue, zeroOf, splitMapType,
  stringMap, interfaceSlice, stringSlice, goValueFromJson, MAP_STRING_INTERFACE, SLICE_INTERFACE,
} from './values.ts';
export type {
  GoType, IntKind, GoValue, GoFunction, FunctionMap, CallContext, StructType, StructField, Kind,
} from './values.ts';
