// The raw text of each member of a JSON object, so values keep their exact number text
// (render's --secrets fixtures: Vault bodies whose numbers must stay json.Number text).
import { unmarshalJson } from './json.ts';

/** Returns each top-level member's value as its original JSON text; throws JsonError (Go's
 *  message) when the text is not JSON, and an Error when it is not an object. */
export function rawObjectMembers(text: string): Map<string, string> {
  unmarshalJson(text); // validates with Go's messages
  const members = new Map<string, string>();
  let i = skip(text, 0);
  if (text[i] !== '{') throw new Error('is not a JSON object');
  i = skip(text, i + 1);
  if (text[i] === '}') return members;
  for (;;) {
    const keyEnd = endOfString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skip(text, keyEnd);
    i = skip(text, i + 1); // ':'
    const valueEnd = endOfValue(text, i);
    members.set(key, text.slice(i, valueEnd));
    i = skip(text, valueEnd);
    if (text[i] === '}') return members;
    i = skip(text, i + 1); // ','
  }
}

function skip(text: string, i: number): number {
  while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  return i;
}

function endOfString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return j + 1;
  }
  return text.length;
}

function endOfValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return endOfString(text, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text[j];
      if (d === '"') { j = endOfString(text, j) - 1; continue; }
      if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return text.length;
  }
  let j = i;
  while (j < text.length && !',}] \t\r\n'.includes(text[j]!)) j++;
  return j;
}
