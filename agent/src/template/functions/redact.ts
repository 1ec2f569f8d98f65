// consul-template's redaction of an execution error (template.go's redactinator): every value of
// the Data of each *dependency.Secret the execution used, printed with %v, is replaced by
// "[redacted]" through Go's strings.NewReplacer. So a KV v1 or dynamic secret's value never
// reaches a log or the pod's termination message; a KV v2 secret's values sit one level down
// (Data.data), and are redacted only as the whole map's text, as in Vault Agent.
import { sprintOne } from '../format.ts';
import { decodeGoBytes, encodeGoString } from '../gostring.ts';
import { GoMap, type GoStruct } from '../values.ts';

const REDACTED = Buffer.from('[redacted]');

/** strings.NewReplacer(old1, new, old2, new, ...).Replace(s) with one `new` for every old: at
 *  each byte, the earliest-listed old that starts there wins (not the longest); an empty old
 *  matches between any two bytes and at the end, but not twice in a row at one position. */
function replaceAll(s: Buffer, olds: readonly Buffer[]): Buffer {
  const keys: Buffer[] = [];
  for (const old of olds) if (!keys.some((k) => k.equals(old))) keys.push(old);
  if (keys.length === 0) return s;
  const out: Buffer[] = [];
  let last = 0;
  let previousMatchEmpty = false;
  for (let i = 0; i <= s.length;) {
    let match: Buffer | undefined;
    for (const key of keys) {
      if (key.length === 0 ? !previousMatchEmpty : i + key.length <= s.length && s.compare(key, 0, key.length, i, i + key.length) === 0) {
        match = key;
        break;
      }
    }
    previousMatchEmpty = match !== undefined && match.length === 0;
    if (match !== undefined) {
      out.push(s.subarray(last, i), REDACTED);
      i += match.length;
      last = i;
      continue;
    }
    i++;
  }
  if (last !== s.length) out.push(s.subarray(last));
  return Buffer.concat(out);
}

/** The message with the used secrets' values redacted, as Vault Agent reports it. */
export function redactSecretValues(message: string, used: Iterable<GoStruct>): string {
  const olds: Buffer[] = [];
  for (const secret of used) {
    const data = secret.field('Data');
    if (!(data instanceof GoMap)) continue;
    for (const value of data.entries.values()) {
      // consul-template would put "[redacted]" between every byte for an empty value; an empty
      // value hides nothing, and the error stays readable (a difference listed in the README)
      const text = encodeGoString(sprintOne(value));
      if (text.length > 0) olds.push(text);
    }
  }
  if (olds.length === 0) return message;
  return decodeGoBytes(replaceAll(encodeGoString(message), olds));
}
