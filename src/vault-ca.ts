// -vault-cacert-bytes / AGENT_INJECT_VAULT_CACERT_BYTES: the CA the agents trust for Vault, handed
// to every agent container as VAULT_CACERT_BYTES. As in vault-k8s, the PEM may be base64-encoded
// (a Helm value without line breaks); unlike vault-k8s, text that holds no valid certificate stops
// the webhook at start instead of failing every pod's TLS later. The agent's own parser decides
// what a valid bundle is, so both programs agree.
import { parseCaCertBytes } from '../agent/src/config/environment.ts';
import { fail, ok, type Parsed } from './annotations/values.ts';

export function parseVaultCaCertBytes(text: string): Parsed<string | undefined> {
  const trimmed = text.trim();
  if (trimmed === '') return ok(undefined);
  let pem = trimmed;
  if (!trimmed.includes('-----BEGIN')) {
    const compact = trimmed.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return fail('is neither PEM (-----BEGIN CERTIFICATE-----) nor base64 of PEM');
    pem = Buffer.from(compact, 'base64').toString('utf8').trim();
  }
  const parsed = parseCaCertBytes(pem);
  if (!parsed.ok) return fail(parsed.reason);
  return ok(parsed.certificates.join(''));
}
