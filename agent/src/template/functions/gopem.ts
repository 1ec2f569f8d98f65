// Go's encoding/pem: Decode (the first well-formed block: the first END line, the last BEGIN
// line before it, optional headers, base64 body; malformed candidates are skipped) and Encode
// (headers, Proc-Type first, then 64-column base64 lines).
import { base64Decode, base64Encode, STD } from './base64.ts';

export interface PemBlock {
  readonly type: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly bytes: Uint8Array;
}

const PEM_START = '\n-----BEGIN ';
const PEM_END = '\n-----END ';
const END_OF_LINE = '-----';

/** Go's getLine: the line without its \n or \r\n and trailing spaces/tabs, the rest, and how many
 *  characters were consumed. */
function getLine(data: string): [line: string, rest: string, consumed: number] {
  let i = data.indexOf('\n');
  let j: number;
  if (i < 0) {
    i = data.length;
    j = i;
  } else {
    j = i + 1;
    if (i > 0 && data[i - 1] === '\r') i--;
  }
  return [data.slice(0, i).replace(/[ \t]+$/, ''), data.slice(j), j];
}

/** The first PEM block in `data`, or undefined when there is none (Go's nil block). */
export function pemDecode(data: string): PemBlock | undefined {
  let rest = data;
  let endTrailerIndex = 0;
  for (;;) {
    if (endTrailerIndex < 0 || endTrailerIndex > rest.length) return undefined;
    rest = rest.slice(endTrailerIndex);
    let endIndex = rest.indexOf(PEM_END);
    if (endIndex < 0) return undefined;
    endTrailerIndex = endIndex + PEM_END.length;
    const beginIndex = rest.slice(0, endIndex).lastIndexOf(PEM_START.slice(1));
    if (beginIndex < 0 || (beginIndex > 0 && rest[beginIndex - 1] !== '\n')) continue;
    const skip = beginIndex + PEM_START.length - 1;
    rest = rest.slice(skip);
    endIndex -= skip;
    endTrailerIndex -= skip;

    let [typeLine, afterType, consumed] = getLine(rest);
    rest = afterType;
    endIndex -= consumed;
    endTrailerIndex -= consumed;
    if (!typeLine.endsWith(END_OF_LINE)) continue;
    typeLine = typeLine.slice(0, typeLine.length - END_OF_LINE.length);

    const headers = new Map<string, string>();
    for (;;) {
      if (rest.length === 0) return undefined;
      const [line, next, used] = getLine(rest);
      const colon = line.indexOf(':');
      if (colon < 0) break;
      headers.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      rest = next;
      endIndex -= used;
      endTrailerIndex -= used;
    }
    if (headers.size > 0 && endIndex < 0) continue;

    let endTrailer = rest.slice(endTrailerIndex);
    const endTrailerLength = typeLine.length + END_OF_LINE.length;
    if (endTrailer.length < endTrailerLength) continue;
    const restOfEndLine = endTrailer.slice(endTrailerLength);
    endTrailer = endTrailer.slice(0, endTrailerLength);
    if (!endTrailer.startsWith(typeLine) || !endTrailer.endsWith(END_OF_LINE)) continue;
    if (getLine(restOfEndLine)[0].length !== 0) continue;

    let bytes: Uint8Array = new Uint8Array(0);
    if (endIndex > 0) {
      try {
        bytes = base64Decode(rest.slice(0, endIndex).replace(/[ \t]/g, ''), STD);
      } catch {
        continue;
      }
    }
    return { type: typeLine, headers, bytes };
  }
}

/** pem.EncodeToMemory: the headers (Proc-Type first, the others sorted), then 64 columns of base64. */
export function pemEncode(type: string, bytes: Uint8Array, headers: ReadonlyMap<string, string> = new Map()): string {
  let out = `-----BEGIN ${type}-----\n`;
  if (headers.size > 0) {
    const keys = [...headers.keys()].filter((k) => k !== 'Proc-Type').sort();
    if (headers.has('Proc-Type')) keys.unshift('Proc-Type');
    for (const k of keys) out += `${k}: ${headers.get(k) ?? ''}\n`;
    out += '\n';
  }
  const body = base64Encode(bytes, STD, true);
  for (let i = 0; i < body.length; i += 64) out += `${body.slice(i, i + 64)}\n`;
  return `${out}-----END ${type}-----\n`;
}
