// sprig's certificate and key generators make random keys, serials and signatures and read the
// clock, so the oracle's output and ours cannot be compared as text. Each template is rendered on
// both sides and both results are taken apart (test/template/gencert-inspect.ts): every field
// (version, serial form, names, validity forms and length, algorithms, each extension's bytes,
// the key ids' derivation, the key's type, size and PEM encoding) must be the same, each key must
// match its certificate and each certificate must verify against its issuer. Cross-use: the
// oracle signs with our CA (through buildCustomCert) and we sign with its. Deterministic cases
// (errors, %T, fixed keys) are in corpus/sources/17-gencert.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { executeTemplate, parseTemplate, TemplateError } from '../../agent/src/template/index.ts';
import { templateFunctions } from '../../agent/src/template/functions/index.ts';
import { runOracle } from '../oracle/oracle.ts';
import { keyFacts, parseCert } from './gencert-inspect.ts';
import type { ParsedCert } from './gencert-inspect.ts';

interface Rendered { ok: boolean; output: string; error?: string | undefined }

const functions = templateFunctions({
  secrets: { read: () => undefined, write: () => undefined, list: () => undefined },
  env: () => undefined,
  readFile: () => '',
  now: () => new Date(),
});

function renderOurs(name: string, template: string): Rendered {
  try {
    return { ok: true, output: executeTemplate(parseTemplate(template, functions, { name }), undefined, { missingKey: 'default' }) };
  } catch (error) {
    if (error instanceof TemplateError) return { ok: false, output: '', error: error.message };
    throw error;
  }
}

/** Both sides' results, in case order. */
function renderBoth(cases: ReadonlyArray<{ name: string; template: string }>): Array<{ theirs: Rendered; ours: Rendered }> {
  const theirs = runOracle(cases.map((c) => ({ name: c.name, template: c.template })));
  return cases.map((c, i) => {
    const t = theirs[i]!;
    return { theirs: { ok: t.ok, output: t.output ?? '', error: t.error }, ours: renderOurs(c.name, c.template) };
  });
}

const raw = (s: string): string => '`' + s + '`';
const pem = (key: { export(o: { type: 'pkcs8' | 'sec1' | 'pkcs1'; format: 'pem' }): string | Buffer }, type: 'pkcs8' | 'sec1' | 'pkcs1' = 'pkcs8'): string =>
  String(key.export({ type, format: 'pem' }));
const ED = raw(pem(generateKeyPairSync('ed25519').privateKey));
const P224 = raw(pem(generateKeyPairSync('ec', { namedCurve: 'P-224' }).privateKey, 'sec1'));
const P384 = raw(pem(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey, 'sec1'));
const P521 = raw(pem(generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey));
const EC8 = raw(pem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey));
const RSA8 = raw(pem(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey));

const KU = '2.5.29.15', EKU = '2.5.29.37', BC = '2.5.29.19', SKI = '2.5.29.14', AKI = '2.5.29.35', SAN = '2.5.29.17';

interface ChainCase {
  name: string;
  /** renders toJSON of a list of certificates */
  template: string;
  /** per certificate: the index of its issuer in the list (itself when self-signed) */
  issuers: number[];
  days: number[];
  extensionIds?: string[][];
  /** certificates whose key was given, so its PEM must come back byte for byte the same */
  fixedKeys?: number[];
}

const list = (...certs: string[]): string => `{{ toJSON (sprig_list ${certs.join(' ')}) }}`;

const CHAINS: ChainCase[] = [
  { name: 'genCA', template: list('(sprig_genCA "my-ca" 365)'), issuers: [0], days: [365], extensionIds: [[KU, EKU, BC, SKI]] },
  {
    name: 'genSelfSignedCert with IPv4, IPv6, IPv4-mapped and DNS names',
    template: list('(sprig_genSelfSignedCert "host.example" (sprig_list "10.0.0.1" "::1" "::ffff:10.1.2.3" "2001:db8::7") (sprig_list "a.example" "*.b.example") 30)'),
    issuers: [0], days: [30], extensionIds: [[KU, EKU, BC, SAN]],
  },
  { name: 'an empty common name makes the SAN critical', template: list('(sprig_genSelfSignedCert "" (sprig_list "10.0.0.1") nil 1)'), issuers: [0], days: [1] },
  { name: 'a UTF-8 common name, no SANs, 0 days', template: list(`(sprig_genSelfSignedCertWithKey "école *" nil nil 0 ${ED})`), issuers: [0], days: [0], extensionIds: [[KU, EKU, BC]], fixedKeys: [0] },
  {
    name: 'genSignedCert: the authority key id is the CA\'s key id',
    template: `{{ $ca := sprig_genCA "the-ca" 10 }}${list('$ca', '(sprig_genSignedCert "leaf" (sprig_list "10.0.0.2") (sprig_list "leaf.example") 7 $ca)')}`,
    issuers: [0, 0], days: [10, 7], extensionIds: [[KU, EKU, BC, SKI], [KU, EKU, BC, AKI, SAN]],
  },
  {
    name: 'a leaf with the CA\'s own name gets no authority key id',
    template: `{{ $ca := sprig_genCA "same" 10 }}${list('$ca', '(sprig_genSignedCert "same" nil nil 1 $ca)')}`,
    issuers: [0, 0], days: [10, 1], extensionIds: [[KU, EKU, BC, SKI], [KU, EKU, BC]],
  },
  {
    name: 'signed by a self-signed non-CA certificate (no key id to refer to)',
    template: `{{ $ss := sprig_genSelfSignedCert "ss" nil nil 5 }}${list('$ss', '(sprig_genSignedCert "leaf2" nil nil 5 $ss)')}`,
    issuers: [0, 0], days: [5, 5], extensionIds: [[KU, EKU, BC], [KU, EKU, BC]],
  },
  {
    name: 'an ECDSA CA signs an Ed25519 leaf',
    template: `{{ $ca := sprig_genPrivateKey "ecdsa" | sprig_genCAWithKey "ec-ca" 30 }}${list('$ca', '(sprig_genPrivateKey "ed25519" | sprig_genSignedCertWithKey "ed-leaf" nil (sprig_list "x.example") 3 $ca)')}`,
    issuers: [0, 0], days: [30, 3],
  },
  {
    name: 'an Ed25519 CA signs an ECDSA leaf',
    template: `{{ $ca := sprig_genCAWithKey "ed-ca" 30 ${ED} }}${list('$ca', '(sprig_genPrivateKey "ecdsa" | sprig_genSignedCertWithKey "ec-leaf" (sprig_list "192.168.0.1") nil 3 $ca)')}`,
    issuers: [0, 0], days: [30, 3], fixedKeys: [0],
  },
  {
    name: 'P-384, P-521 and P-224 keys (SHA-384, SHA-512, SHA-256)',
    template: `{{ $a := sprig_genCAWithKey "p384" 2 ${P384} }}{{ $b := sprig_genSignedCertWithKey "p521" nil nil 2 $a ${P521} }}${list('$a', '$b', `(sprig_genSignedCertWithKey "p224" nil nil 2 $b ${P224})`)}`,
    issuers: [0, 0, 1], days: [2, 2, 2], fixedKeys: [0, 1, 2],
  },
  {
    name: 'PKCS#8 RSA and EC keys come back as PKCS#1 and SEC1',
    template: list(`(sprig_genSelfSignedCertWithKey "r" nil nil 1 ${RSA8})`, `(sprig_genSelfSignedCertWithKey "e" nil nil 1 ${EC8})`),
    issuers: [0, 1], days: [1, 1], fixedKeys: [0, 1],
  },
  {
    name: 'validity: -1 days, 100 years (GeneralizedTime) and a day count that overflows time.Duration',
    template: list(`(sprig_genSelfSignedCertWithKey "a" nil nil -1 ${ED})`, `(sprig_genSelfSignedCertWithKey "b" nil nil 36500 ${ED})`, `(sprig_genSelfSignedCertWithKey "c" nil nil 100000000 ${ED})`),
    issuers: [0, 1, 2], days: [-1, 36500, 100_000_000], fixedKeys: [0, 1, 2],
  },
];

/** 24h × days as Go's int64 nanoseconds (wrapping), in milliseconds. */
const lifetimeMs = (days: number): number => Number(BigInt.asIntN(64, 86_400_000_000_000n * BigInt(days)) / 1_000_000n);

interface Generated { Cert: string; Key: string }

function checkChain(side: string, c: ChainCase, certs: Generated[], started: number): ParsedCert[] {
  const parsed: ParsedCert[] = [];
  certs.forEach((g, i) => {
    const issuer = c.issuers[i] === i ? undefined : parsed[c.issuers[i]!];
    // a self-signed certificate is its own issuer (Go gives it no authority key id anyway)
    const p = issuer === undefined ? parseCert(g.Cert, parseCert(g.Cert)) : parseCert(g.Cert, issuer);
    parsed.push(p);
    const signer = issuer ?? p;
    assert.ok(p.x509.checkPrivateKey(createPrivateKey(g.Key)), `${side} ${c.name} #${i}: the key is the certificate's`);
    assert.ok(p.x509.verify(signer.x509.publicKey), `${side} ${c.name} #${i}: signed by its issuer`);
    // OpenSSL's issuer check also wants the issuer to be a CA that may sign certificates
    if (signer.x509.ca) assert.ok(p.x509.checkIssued(signer.x509), `${side} ${c.name} #${i}: issued by its issuer`);
    assert.ok(p.notBefore.getTime() >= Math.floor(started / 1000) * 1000 - 1000 && p.notBefore.getTime() <= Date.now() + 1000, `${side} ${c.name} #${i}: NotBefore is now`);
    const lifetime = p.notAfter.getTime() - p.notBefore.getTime();
    assert.ok(Math.abs(lifetime - lifetimeMs(c.days[i]!)) <= 1000, `${side} ${c.name} #${i}: lifetime ${lifetime} ms for ${c.days[i]} days`);
    if (c.extensionIds?.[i] !== undefined) assert.deepEqual(p.facts.extensions.map((e) => e.id), c.extensionIds[i], `${side} ${c.name} #${i}: extensions`);
  });
  return parsed;
}

describe('sprig certificates: the oracle\'s and ours are made alike', () => {
  const started = Date.now();
  const results = renderBoth(CHAINS.map((c, i) => ({ name: `chain-${i}`, template: c.template })));
  CHAINS.forEach((c, i) => {
    it(c.name, () => {
      const { theirs, ours } = results[i]!;
      assert.ok(theirs.ok, `oracle: ${theirs.error ?? ''}`);
      assert.ok(ours.ok, `ours: ${ours.error ?? ''}`);
      const theirCerts = JSON.parse(theirs.output) as Generated[];
      const ourCerts = JSON.parse(ours.output) as Generated[];
      assert.equal(ourCerts.length, theirCerts.length);
      const a = checkChain('oracle', c, theirCerts, started);
      const b = checkChain('ours', c, ourCerts, started);
      a.forEach((t, j) => {
        const o = b[j]!;
        assert.deepEqual(o.facts, t.facts, `#${j}: certificate fields`);
        assert.ok(Math.abs((o.notAfter.getTime() - o.notBefore.getTime()) - (t.notAfter.getTime() - t.notBefore.getTime())) <= 1000, `#${j}: lifetime`);
        assert.deepEqual(keyFacts(ourCerts[j]!.Key), keyFacts(theirCerts[j]!.Key), `#${j}: key`);
        assert.ok(keyFacts(ourCerts[j]!.Key).canonical, `#${j}: our key PEM is the canonical encoding`);
        if (c.fixedKeys?.includes(j)) assert.equal(ourCerts[j]!.Key, theirCerts[j]!.Key, `#${j}: the given key comes back the same`);
      });
    });
  });

  it('the certificate struct prints as {Cert Key}, %T is sprig.certificate', () => {
    const template = `{{ $c := sprig_genSelfSignedCertWithKey "p" nil nil 1 ${ED} }}{{ printf "%T|%v" $c $c }}`;
    const [{ theirs, ours }] = renderBoth([{ name: 'print', template }]) as [{ theirs: Rendered; ours: Rendered }];
    const shape = /^sprig\.certificate\|\{-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n -----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n\}$/;
    assert.match(theirs.output, shape);
    assert.match(ours.output, shape);
    // the key part is the given key on both sides
    assert.equal(ours.output.slice(ours.output.indexOf(' -----BEGIN PRIVATE KEY')), theirs.output.slice(theirs.output.indexOf(' -----BEGIN PRIVATE KEY')));
  });
});

describe('sprig_genPrivateKey: the same kinds of key', () => {
  // RSA 4096 is slow on both sides: "rsa" and "" once each
  const kinds = ['', 'rsa', 'dsa', 'ecdsa', 'ed25519'];
  const results = renderBoth(kinds.map((k, i) => ({ name: `key-${i}`, template: `{{ sprig_genPrivateKey ${JSON.stringify(k)} }}` })));
  const expected: Record<string, [string, unknown]> = {
    '': ['RSA PRIVATE KEY', { modulusLength: 4096, publicExponent: 65537n }],
    rsa: ['RSA PRIVATE KEY', { modulusLength: 4096, publicExponent: 65537n }],
    dsa: ['DSA PRIVATE KEY', { modulusLength: 2048, divisorLength: 256 }],
    ecdsa: ['EC PRIVATE KEY', { namedCurve: 'prime256v1' }],
    ed25519: ['PRIVATE KEY', {}],
  };
  kinds.forEach((kind, i) => {
    it(JSON.stringify(kind), () => {
      const { theirs, ours } = results[i]!;
      const t = keyFacts(theirs.output);
      const o = keyFacts(ours.output);
      assert.deepEqual(o, t);
      assert.deepEqual([t.pemType, t.details, t.canonical], [...expected[kind]!, true]);
    });
  });
});

describe('cross-use: each side signs with the other\'s CA (buildCustomCert)', () => {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  const signWith = (ca: Generated): string =>
    `{{ $ca := sprig_buildCustomCert "${b64(ca.Cert)}" "${b64(ca.Key)}" }}${list('$ca', '(sprig_genSignedCert "cross" (sprig_list "10.9.8.7") (sprig_list "cross.example") 2 $ca)')}`;
  const makeCAs = ['{{ toJSON (sprig_genCA "cross-rsa-ca" 5) }}', '{{ toJSON (sprig_genPrivateKey "ecdsa" | sprig_genCAWithKey "cross-ec-ca" 5) }}'];
  const chain: ChainCase = { name: 'cross', template: '', issuers: [0, 0], days: [5, 2], extensionIds: [[KU, EKU, BC, SKI], [KU, EKU, BC, AKI, SAN]] };

  it('the oracle signs with our CAs, we sign with the oracle\'s, and the leaves are alike', () => {
    const started = Date.now();
    const made = renderBoth(makeCAs.map((template, i) => ({ name: `ca-${i}`, template })));
    const ourCAs = made.map((m) => JSON.parse(m.ours.output) as Generated);
    const theirCAs = made.map((m) => JSON.parse(m.theirs.output) as Generated);
    const signed = renderBoth([...ourCAs, ...theirCAs].map((ca, i) => ({ name: `sign-${i}`, template: signWith(ca) })));
    const leaves = signed.map(({ theirs, ours }, i) => {
      assert.ok(theirs.ok && ours.ok, `${i}: ${theirs.error ?? ''} ${ours.error ?? ''}`);
      const t = JSON.parse(theirs.output) as Generated[];
      const o = JSON.parse(ours.output) as Generated[];
      const ca = [...ourCAs, ...theirCAs][i]!;
      for (const side of [t, o]) assert.deepEqual(side[0], ca, 'buildCustomCert gives the texts back');
      return { theirs: checkChain('oracle', chain, t, started), ours: checkChain('ours', chain, o, started) };
    });
    for (const { theirs, ours } of leaves) {
      assert.deepEqual(ours[1]!.facts, theirs[1]!.facts, 'the leaf signed by one CA, on both sides');
    }
  });
});

describe('sprig\'s own crypto_test.go, on both sides', () => {
  it('TestGenPrivateKey: PEM types, the unknown type, b64enc of a key', () => {
    const rows: Array<[string, (out: string) => boolean]> = [
      ['{{ sprig_genPrivateKey "dsa" }}', (o) => o.includes('DSA PRIVATE KEY')],
      ['{{ sprig_genPrivateKey "ecdsa" }}', (o) => o.includes('EC PRIVATE KEY')],
      ['{{ sprig_genPrivateKey "ed25519" }}', (o) => o.includes('PRIVATE KEY')],
      ['{{ sprig_genPrivateKey "bad" }}', (o) => o === 'Unknown type bad'],
      ['{{ sprig_genPrivateKey "ecdsa" | sprig_b64enc }}', (o) => Buffer.from(o, 'base64').toString().startsWith('-----BEGIN EC PRIVATE KEY-----')],
    ];
    renderBoth(rows.map(([template], i) => ({ name: `gpk-${i}`, template }))).forEach(({ theirs, ours }, i) => {
      for (const r of [theirs, ours]) assert.ok(r.ok && rows[i]![1](r.output), `${rows[i]![0]}: ${JSON.stringify(r).slice(0, 200)}`);
    });
  });

  it('TestBuildCustomCert: the CA comes back as given; "fail" as a certificate does not', () => {
    const [made] = renderBoth([{ name: 'bcc-ca', template: '{{ toJSON (sprig_genCA "example.com" 365) }}' }]);
    const ca = JSON.parse(made!.ours.output) as Generated;
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    const results = renderBoth([
      { name: 'bcc-ok', template: `{{- $ca := sprig_buildCustomCert "${b64(ca.Cert)}" "${b64(ca.Key)}"}}\n{{- $ca.Cert }}` },
      { name: 'bcc-fail', template: `{{- $ca := sprig_buildCustomCert "${b64('fail')}" "${b64(ca.Key)}"}}\n{{- $ca.Cert }}` },
    ]);
    for (const side of ['theirs', 'ours'] as const) {
      assert.equal(results[0]![side].output, ca.Cert);
      assert.notEqual(results[1]![side].output, ca.Cert);
      assert.equal(results[1]![side].ok, false);
    }
  });

  // fastCertKeyAlgos: ecdsa and ed25519; nil: the functions that make an RSA key
  const algos = [undefined, 'ecdsa', 'ed25519'];
  const caExpr = (a: string | undefined): string => (a === undefined ? 'sprig_genCA' : `sprig_genPrivateKey "${a}" | sprig_genCAWithKey`);

  it('TestGenCA / TestGenCAWithKey: the common name, IsCA', () => {
    renderBoth(algos.map((a, i) => ({ name: `gca-${i}`, template: `{{- $ca := ${caExpr(a)} "foo-ca" 365 }}\n{{ $ca.Cert }}\n` }))).forEach(({ theirs, ours }) => {
      for (const r of [theirs, ours]) {
        const cert = parseCert(r.output.trim() + '\n');
        assert.equal(cert.x509.subject, 'CN=foo-ca');
        assert.equal(cert.x509.ca, true);
      }
    });
  });

  const checkLeaf = (output: string): void => {
    const cert = parseCert(output.trim() + '\n');
    assert.equal(cert.x509.subject, 'CN=foo.com');
    assert.ok(cert.facts.serial.positive);
    assert.equal(cert.x509.subjectAltName, 'DNS:bar.com, DNS:bat.com, IP Address:10.0.0.1, IP Address:10.0.0.2');
    assert.equal(cert.x509.ca, false);
  };
  const sans = '"foo.com" (sprig_list "10.0.0.1" "10.0.0.2") (sprig_list "bar.com" "bat.com") 365';

  it('TestGenSelfSignedCert / ...WithKey: CN, serial, IPs in order, DNS names, not a CA', () => {
    const expr = (a: string | undefined): string => (a === undefined ? 'sprig_genSelfSignedCert' : `sprig_genPrivateKey "${a}" | sprig_genSelfSignedCertWithKey`);
    renderBoth(algos.map((a, i) => ({ name: `gss-${i}`, template: `{{- $cert := ${expr(a)} ${sans} }}\n{{ $cert.Cert }}` }))).forEach(({ theirs, ours }) => {
      checkLeaf(theirs.output);
      checkLeaf(ours.output);
    });
  });

  it('TestGenSignedCert / ...WithKey: every CA key with every leaf key', () => {
    const pairs: Array<[string | undefined, string | undefined]> = [[undefined, undefined], ...['ecdsa', 'ed25519'].flatMap((c) => ['ecdsa', 'ed25519'].map((l) => [c, l] as [string, string]))];
    const leafExpr = (a: string | undefined): string => (a === undefined ? 'sprig_genSignedCert' : `sprig_genPrivateKey "${a}" | sprig_genSignedCertWithKey`);
    renderBoth(pairs.map(([c, l], i) => ({ name: `gsc-${i}`, template: `{{- $ca := ${caExpr(c)} "foo" 365 }}\n{{- $cert := ${leafExpr(l)} ${sans} $ca }}\n{{ $cert.Cert }}\n` })))
      .forEach(({ theirs, ours }) => {
        checkLeaf(theirs.output);
        checkLeaf(ours.output);
      });
  });

});
