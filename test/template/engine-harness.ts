// Runs engine cases the way gotpl runs them: the same helper functions (same Go signatures and
// behaviour) and the same data decoding. Shared by engine.test.ts and the engine-fuzz.ts tool.
import assert from 'node:assert/strict';
import {
  executeTemplate, goValueFromJson, parseTemplate, GoError, GoInt, GoMap, GoNilPointer, GoSlice, GoStruct, JsonNumber,
  TemplateError, stringMap, stringSlice, structType, type FunctionMap, type GoFunction, type GoValue,
} from '../../agent/src/template/index.ts';
import type { EngineCase } from './engine-cases.ts';

/** gotpl's Secret type (package main) with the fields consul-template's dependency.Secret shows. */
const secretType = structType('*main.Secret', [
  { name: 'RequestID', type: 'string' }, { name: 'LeaseID', type: 'string' }, { name: 'LeaseDuration', type: 'int' },
  { name: 'Renewable', type: 'bool' }, { name: 'Data', type: 'map[string]interface {}' }, { name: 'Warnings', type: '[]string' },
]);

function goErr(message: string): never {
  throw new GoError(message);
}

/** The functions gotpl defines that the cases use, with the same Go signatures and behaviour. */
export function oracleFunctions(c: Pick<EngineCase, 'secrets' | 'env'>): FunctionMap {
  const f = (params: string[], call: (args: GoValue[]) => GoValue, variadic = false): GoFunction => ({ params, variadic, call });
  const parseIntStrict = (s: string, what: string): bigint => {
    if (!/^[+-]?\d+$/.test(s)) goErr(`${what}: strconv.${what === 'parseUint' ? 'ParseUint' : 'ParseInt'}: parsing ${JSON.stringify(s)}: invalid syntax`);
    return BigInt(s);
  };
  return new Map<string, GoFunction>([
    ['secret', f(['string', 'string'], (args) => {
      const raw = c.secrets?.[args[0] as string];
      if (raw === undefined) return new GoNilPointer('*main.Secret', secretType);
      const body = goValueFromJson(raw, 'json.Number') as GoMap;
      const get = (k: string): GoValue => body.entries.get(k);
      const text = (k: string): string => (typeof get(k) === 'string' ? (get(k) as string) : '');
      const lease = get('lease_duration');
      const warnings = get('warnings');
      return new GoStruct(secretType, [
        text('request_id'), text('lease_id'),
        new GoInt('int', lease instanceof JsonNumber ? BigInt(lease.text) : 0n),
        get('renewable') === true,
        get('data') instanceof GoMap ? get('data') : stringMap(),
        warnings instanceof GoSlice ? stringSlice(warnings.items.map(String)) : new GoSlice('[]string', 'string', [], true),
      ]);
    }, true)],
    ['env', f(['string'], (args) => c.env?.[args[0] as string] ?? '')],
    ['parseInt', f(['string'], (args) => new GoInt('int64', parseIntStrict(args[0] as string, 'parseInt')))],
    ['parseUint', f(['string'], (args) => new GoInt('uint64', args[0] === '' ? 0n : parseIntStrict(args[0] as string, 'parseUint')))],
    ['parseBool', f(['string'], (args) => args[0] === 'true')],
    ['parseFloat', f(['string'], (args) => Number(args[0]))],
    ['split', f(['string', 'string'], (args) => {
      const s = (args[1] as string).trim();
      return stringSlice(s === '' ? [] : s.split(args[0] as string));
    })],
    ['join', f(['string', '[]string'], (args) => ((args[1] as GoSlice).items as string[]).join(args[0] as string))],
    ['indent', f(['int', 'string'], (args) => {
      const spaces = Number((args[0] as GoInt).value);
      if (spaces < 0) goErr('indent value must be a positive integer');
      const prefix = ' '.repeat(spaces);
      let out = '';
      let atStart = true;
      for (const c of args[1] as string) {
        if (atStart && c !== '\n') out += prefix;
        out += c;
        atStart = c === '\n';
      }
      return out;
    })],
  ]);
}

export interface RunResult { ok: boolean; output: string; error?: string }

export function runCase(c: EngineCase): RunResult {
  try {
    const template = parseTemplate(c.template, oracleFunctions(c), { name: c.name, leftDelim: c.delims?.[0], rightDelim: c.delims?.[1] });
    const data = c.data === undefined ? undefined : goValueFromJson(JSON.stringify(c.data), 'float64');
    return { ok: true, output: executeTemplate(template, data, c.missingkey === undefined ? {} : { missingKey: c.missingkey }) };
  } catch (error) {
    assert.ok(error instanceof TemplateError, `only TemplateError may escape, got ${String(error)}`);
    return { ok: false, output: error.partialOutput, error: error.message };
  }
}

