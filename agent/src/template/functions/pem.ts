// What consul-template's pkiCert makes of a PKI issue response (dependency/vault_pki.go): every
// string in the response's data (and every string of ca_chain) is joined with newlines, cut into
// PEM blocks, each decoded as Go's encoding/pem does and encoded again (so a block always ends in
// a newline, whatever Vault sent); a *PRIVATE KEY block is the key, a CA certificate the CA (the
// first one) and a CAChain entry (once each), any other certificate the certificate.
import { X509Certificate } from 'node:crypto';
import { pemDecode, pemEncode } from './gopem.ts';

export interface PemBundle { cert: string; key: string; ca: string; caChain: string[] }

export class PemError extends Error {}

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
    if (block === undefined) break; // consul-template stops at the first block it cannot decode
    const encoded = pemEncode(block.type, block.bytes, block.headers);
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
