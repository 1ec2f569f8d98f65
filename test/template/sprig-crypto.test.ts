// sprig_encryptAES uses a random IV, so its output cannot be compared byte for byte: each side
// must decrypt what the other encrypted (the oracle is consul-template v0.41.1's sprig).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runOracle } from '../oracle/oracle.ts';
import { decryptAES, encryptAES } from '../../agent/src/template/functions/sprig-crypto.ts';

const plaintexts = ['a', 'hello world', '0123456789abcdef', 'ünïcödé 日本 ✓', 'x'.repeat(100), '{"k":"v"}\n'];
const passwords = ['', 'k', 'a much longer password than thirty-two bytes of key', 'pässwörd'];
const quote = (s: string): string => JSON.stringify(s);

describe('sprig_encryptAES and sprig_decryptAES against the oracle', () => {
  it('we decrypt what the oracle encrypted', () => {
    const cases = passwords.flatMap((password, i) => plaintexts.map((plain, j) => ({ name: `enc-${i}-${j}`, template: `{{ sprig_encryptAES ${quote(password)} ${quote(plain)} }}`, password, plain })));
    const results = runOracle(cases);
    cases.forEach((c, i) => {
      const result = results[i]!;
      assert.ok(result.ok, `${c.name}: ${result.error ?? ''}`);
      assert.match(result.output ?? '', /^[A-Za-z0-9+/]+=*$/);
      assert.equal(decryptAES(c.password, result.output ?? ''), c.plain, c.name);
    });
  });

  it('the oracle decrypts what we encrypted, and our ciphertexts are fresh each time', () => {
    const cases = passwords.flatMap((password, i) => plaintexts.map((plain, j) => {
      const crypt = encryptAES(password, plain);
      assert.notEqual(encryptAES(password, plain), crypt, 'a fresh IV per call');
      return { name: `dec-${i}-${j}`, template: `{{ sprig_decryptAES ${quote(password)} ${quote(crypt)} }}`, plain };
    }));
    const results = runOracle(cases);
    cases.forEach((c, i) => assert.deepEqual({ ok: results[i]!.ok, output: results[i]!.output ?? '' }, { ok: true, output: c.plain }, c.name));
  });

  it('a wrong password does not give the plaintext back', () => {
    const crypt = encryptAES('right', 'the secret text, long enough for two blocks');
    let out: string | undefined;
    try { out = decryptAES('wrong', crypt); } catch { out = undefined; }
    assert.notEqual(out, 'the secret text, long enough for two blocks');
  });
});
