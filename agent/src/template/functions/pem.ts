// What consul-template's pkiCert makes of a PKI issue response (dependency/vault_pki.go): every
// string in the response's data (and every string of ca_chain) is joined with newlines, cut into
// PEM blocks, each decoded as Go's encoding/pem does and encoded again (so a block always ends in
// a newline, whatever Vault sent); a *PRIVATE KEY block is the key, a CA certificate the CA (the
// first one) and a CAChain entry (once each), any other certificate the certificate.
import { X509Certificate } from 'node:crypto';

export interface PemBundle { cert: string; key: string; ca: string; caChain: string[] }

export class PemError extends Error {}

/** Go's bytes.TrimRight(line, " \t\r") and the rest after the newline (pem's getLine). */
function getLine(s: string): [string, string] {
  const i = s.indexOf('\n');
  const line = i < 0 ? s : s.slice(0, i);
  return [line.replace(/[ \t\r]+$/, ''), i < 0 ? '' : s.slice(i + 1)];
}

/** base64.StdEncoding.Decode: padding required, \r and \n skipped; null when Go refuses it. */
function decodeBase64(text: string): Buffer | null {
  const s = text.replace(/[\r\n]/g, '');
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s)) return null;
  return Buffer.from(s, 'base64');
}

interface Block { type: string; headers: Map<string, string>; bytes: Buffer }

/** encoding/pem's Decode: the first well-formed block, or null. */
function pemDecode(data: string): Block | null {
  let rest = data;
  for (;;) {
    if (rest.startsWith('-----BEGIN ')) rest = rest.slice('-----BEGIN '.length);
    else {
      const at = rest.indexOf('\n-----BEGIN ');
      if (at < 0) return null;
      rest = rest.slice(at + '\n-----BEGIN '.length);
    }
    let typeLine: string;
    [typeLine, rest] = getLine(rest);
    if (!typeLine.endsWith('-----')) continue;
    const type = typeLine.slice(0, -5);
    const headers = new Map<string, string>();
    for (;;) {
      if (rest === '') return null;
      const [line, next] = getLine(rest);
      const colon = line.indexOf(':');
      if (colon < 0) break;
      headers.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      rest = next;
    }
    let endIndex: number;
    let trailerIndex: number;
    if (headers.size === 0 && rest.startsWith('-----END ')) {
      endIndex = 0;
      trailerIndex = '-----END '.length;
    } else {
      endIndex = rest.indexOf('\n-----END ');
      trailerIndex = endIndex + '\n-----END '.length;
    }
    if (endIndex < 0) continue;
    let trailer = rest.slice(trailerIndex);
    const trailerLength = type.length + 5;
    if (trailer.length < trailerLength) continue;
    const restOfEndLine = trailer.slice(trailerLength);
    trailer = trailer.slice(0, trailerLength);
    if (!trailer.startsWith(type) || !trailer.endsWith('-----')) continue;
    if (getLine(restOfEndLine)[0] !== '') continue;
    const bytes = decodeBase64(rest.slice(0, endIndex).replace(/[ \t]/g, ''));
    if (bytes === null) continue;
    return { type, headers, bytes };
  }
}

/** pem.EncodeToMemory: Proc-Type first, the other headers sorted, 64 columns of base64. */
function pemEncode(block: Block): string {
  let out = `-----BEGIN ${block.type}-----\n`;
  if (block.headers.size > 0) {
    const keys = [...block.headers.keys()].filter((k) => k !== 'Proc-Type').sort();
    if (block.headers.has('Proc-Type')) keys.unshift('Proc-Type');
    for (const k of keys) out += `${k}: ${block.headers.get(k) ?? ''}\n`;
    out += '\n';
  }
  const b64 = block.bytes.toString('base64');
  for (let i = 0; i < b64.length; i += 64) out += `${b64.slice(i, i + 64)}\n`;
  return `${out}-----END ${block.type}-----\n`;
}

/** vault_pki.go's nextPem: the text from the next -----BEGIN to the end of its -----END line's
 *  dashes, padded with newlines, and what follows; null when there is no -----BEGIN. */
function nextPem(encoded: string): [string, string] | null {
  const start = encoded.indexOf('-----BEGIN');
  if (start < 0) return null;
  const s = encoded.slice(start);
  let end = s.indexOf('-----END') + 8;
  const dashes = s.slice(end).indexOf('-----');
  end = end + dashes + 5;
  // Go slices past the end here and panics; a response cut like that is refused instead
  if (dashes < 0 || end > s.length) throw new PemError('the response holds a PEM block without its end');
  return [`\n${s.slice(0, end)}\n`, s.slice(end)];
}

/** The PEMs of a PKI response's data entries (values in response order: Go ranges over a map,
 *  which only matters for responses with several leaf certificates or keys). */
export function pemBundle(entries: ReadonlyArray<readonly [string, unknown]>): PemBundle & { hasCert: boolean } {
  let text = '';
  for (const [key, value] of entries) {
    if (typeof value === 'string') text += `${value}\n`;
    else if (Array.isArray(value) && key === 'ca_chain') {
      for (const item of value) if (typeof item === 'string') text += `${item}\n`;
    }
  }
  const bundle = { cert: '', key: '', ca: '', caChain: [] as string[], hasCert: false };
  for (let next = nextPem(text); next !== null; next = nextPem(next[1])) {
    const block = pemDecode(next[0]);
    if (block === null) break; // consul-template stops at the first block it cannot decode
    const encoded = pemEncode(block);
    if (block.type.endsWith('PRIVATE KEY')) {
      bundle.key = encoded;
      continue;
    }
    let isCA: boolean;
    try {
      isCA = new X509Certificate(block.bytes).ca;
    } catch {
      throw new PemError('x509: malformed certificate');
    }
    if (isCA) {
      if (bundle.ca === '') bundle.ca = encoded;
      if (!bundle.caChain.includes(encoded)) bundle.caChain.push(encoded);
    } else {
      bundle.cert = encoded;
      bundle.hasCert = true;
    }
  }
  return bundle;
}
