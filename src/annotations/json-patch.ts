// agent-json-patch / agent-init-json-patch: RFC 6902 patches for the agent containers, checked when
// annotations are parsed and applied when the containers are built. fast-json-patch's own error
// text embeds the whole document, so reasons are rewritten from its error names.
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { fail, ok } from './values.ts';
import type { Parsed } from './values.ts';

export type JsonPatch = ReadonlyArray<Operation>;

const REASONS: Readonly<Record<string, string>> = {
  SEQUENCE_NOT_AN_ARRAY: 'is not a JSON array of operations',
  OPERATION_NOT_AN_OBJECT: 'is not an object',
  OPERATION_OP_INVALID: 'has an "op" that is not add, remove, replace, move, copy or test',
  OPERATION_PATH_INVALID: 'has a "path" that is not a JSON pointer starting with "/"',
  OPERATION_FROM_REQUIRED: 'needs a "from"',
  OPERATION_VALUE_REQUIRED: 'needs a "value"',
  OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED: 'has an undefined value',
  OPERATION_PATH_CANNOT_ADD: 'adds at a path that cannot be added to',
  OPERATION_PATH_UNRESOLVABLE: 'names a path that does not exist in the container',
  OPERATION_FROM_UNRESOLVABLE: 'has a "from" that does not exist in the container',
  OPERATION_PATH_ILLEGAL_ARRAY_INDEX: 'uses an array index that is not a number',
  OPERATION_VALUE_OUT_OF_BOUNDS: 'uses an array index past the end',
  TEST_OPERATION_FAILED: 'is a "test" that failed',
};

interface PatchErrorShape {
  name?: unknown;
  index?: unknown;
}

function describePatchError(error: unknown): string {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as PatchErrorShape;
  const name = typeof shape.name === 'string' ? shape.name : '';
  const where = typeof shape.index === 'number' ? `operation ${shape.index}` : 'the patch';
  const reason = REASONS[name];
  if (reason === undefined) return `${where} cannot be applied`;
  return name === 'SEQUENCE_NOT_AN_ARRAY' ? `the value ${reason}` : `${where} ${reason}`;
}

/** `""`, `null` and `[]` are no patch; anything else must be a valid RFC 6902 operation list. */
export function parseJsonPatch(raw: string): Parsed<JsonPatch> {
  if (raw.trim() === '') return ok([]);
  let decoded: unknown;
  try {
    decoded = JSON.parse(raw);
  } catch {
    return fail('is not valid JSON (expected an RFC 6902 patch such as [{"op":"replace","path":"/name","value":"x"}])');
  }
  if (decoded === null) return ok([]);
  if (!Array.isArray(decoded)) return fail('is not a JSON array of RFC 6902 operations');
  const error = jsonpatch.validate(decoded as Operation[]);
  if (error !== undefined) return fail(describePatchError(error));
  return ok(decoded as Operation[]);
}

/** Applies a patch to a copy of a container; the reason names the failing operation. */
export function applyContainerPatch<T extends object>(container: T, patch: JsonPatch): Parsed<T> {
  if (patch.length === 0) return ok(container);
  try {
    const result = jsonpatch.applyPatch(jsonpatch.deepClone(container) as T, [...patch], true, true, true).newDocument;
    if (typeof result !== 'object' || result === null || Array.isArray(result)) return fail('the patch does not leave a container object');
    return ok(result);
  } catch (error) {
    return fail(describePatchError(error));
  }
}
