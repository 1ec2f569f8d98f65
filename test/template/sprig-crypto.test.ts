// sprig_encryptAES uses a random IV and sprig_bcrypt a random salt, so their outputs cannot be
// compared byte for byte: each side must decrypt what the other encrypted, and every hash must
// verify (the oracle is consul-template v0.41.1's sprig).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runOracle } from '../oracle/oracle.ts';
import bcryptjs from 'bcryptjs';
import { decryptAES, encryptAES } from '../../agent/src/template/functions/sprig-crypto.ts';
import { goBcrypt, htpasswd } from '../../agent/src/template/functions/sprig-bcrypt.ts';

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

describe('sprig_bcrypt and sprig_htpasswd against the oracle (random salts: compared by verifying)', () => {
  const passwords = ['hello', '', 'pässwörd ✓', 'x'.repeat(72), 'x'.repeat(73)];
  const quoted = passwords.map((p) => JSON.stringify(p));

  it('the oracle\'s hashes verify against their passwords, and ours have the same form and verify too', () => {
    const results = runOracle(quoted.map((p, i) => ({ name: `bcrypt-${i}`, template: `{{ sprig_bcrypt ${p} }}` })));
    passwords.forEach((password, i) => {
      const theirs = results[i]!.output ?? '';
      const ours = goBcrypt(password);
      if (password.length > 72) {
        assert.equal(ours, theirs, 'over 72 bytes: the same message');
        return;
      }
      assert.match(theirs, /^\$2a\$10\$[./A-Za-z0-9]{53}$/);
      assert.match(ours, /^\$2a\$10\$[./A-Za-z0-9]{53}$/);
      assert.ok(bcryptjs.compareSync(password, theirs), `the oracle's hash of ${JSON.stringify(password)}`);
      assert.ok(bcryptjs.compareSync(password, ours), `our hash of ${JSON.stringify(password)}`);
      assert.ok(!bcryptjs.compareSync('!' + password, ours), 'another password does not verify');
      assert.notEqual(goBcrypt(password), ours, 'a fresh salt per call');
    });
  });

  it('htpasswd: user:hash, and the oracle\'s message for a user with a colon', () => {
    const rows = [['user', 'pw'], ['', ''], ['us:er', 'pw']] as const;
    const results = runOracle(rows.map(([u, p], i) => ({ name: `htpasswd-${i}`, template: `{{ sprig_htpasswd ${JSON.stringify(u)} ${JSON.stringify(p)} }}` })));
    rows.forEach(([user, password], i) => {
      const theirs = results[i]!.output ?? '';
      const ours = htpasswd(user, password);
      if (user.includes(':')) {
        assert.equal(ours, theirs);
        return;
      }
      for (const line of [theirs, ours]) {
        assert.ok(line.startsWith(`${user}:$2a$10$`), line);
        assert.ok(bcryptjs.compareSync(password, line.slice(user.length + 1)), line);
      }
    });
  });
});
