// sprig's certificate and key generators (genPrivateKey, genCA, genSelfSignedCert, genSignedCert,
// their ...WithKey forms, buildCustomCert): the deterministic parts, judged by the oracle: the
// `certificate` struct (%T, fields, printing, JSON), the PEM a given key comes back as, and every
// error (arguments, key and certificate parsing, IPs and DNS names, keys that cannot sign or be
// certified). Random outputs are compared field by field in test/template/sprig-gencert.test.ts.
import { cases } from '../case.ts';

// Fixtures made once with node:crypto (and CA_CERT with our genCAWithKey): test keys, not secrets.
const ED = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIN7lngpkGB0gfn6U6vD73C2M+On2kLfPl3qXGoSzec2W
-----END PRIVATE KEY-----
`;
const ED_OTHER = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEILx7mOGDyPJJYeFFmbC1mADPpIhhKHRMp0KjzV6cNNce
-----END PRIVATE KEY-----
`;
const P256_SEC1 = `-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIPqyUl1itjEQfyzJZtcj2z8UEgBha8M+PZoTyHeqcFmtoAoGCCqGSM49
AwEHoUQDQgAEtahMXL1CybRNEKZapVkW6OcjvA73HNSPYhGnGk6ZEyYDyjUHnVN/
wbHJVSwfkbnl8m0W/ipU9DGrZX5LH54EHw==
-----END EC PRIVATE KEY-----
`;
const P256_PKCS8 = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg+rJSXWK2MRB/LMlm
1yPbPxQSAGFrwz49mhPId6pwWa2hRANCAAS1qExcvULJtE0QplqlWRbo5yO8Dvcc
1I9iEacaTpkTJgPKNQedU3/BsclVLB+RueXybRb+KlT0MatlfksfngQf
-----END PRIVATE KEY-----
`;
const RSA1024_PKCS1 = `-----BEGIN RSA PRIVATE KEY-----
MIICXAIBAAKBgQDBk2ApBZXzetpkmi082ADAnuU+pOvxO6ReFcQpEGF4ZQOkSMP3
apf5c4x1/bUhlOuZhcMez1hxx85WVoSBxXqxhEwV1GrGoy9Idp41vbEvklF7rZdL
fvb4iatuqKhmoR31xgoRywzEG403/bFtQWC8NC2SRBWg3k6MsYlq7S5RcwIDAQAB
AoGAfVPsm0KZjjVJNn83sL/s5Mk7hS6D8AB8b8nJ4ghQAwHrtK7D6elikcgE9dOY
NTDUxOX8qXL3QVtqtS14xwhTYYC0Ixzg75I06kQzDweZXJJWbsTnCKBeUp010TI9
O8G++nXDJuICIhwobQ6IDIFsQKioo2uEtYjGOcuWZyQgB6kCQQDqOl3qU+vH4cWb
eUz19r3gCTrSZ7HTOF3J5IFF6uQcAT6YL1eph9ReIaibZGPpUvRaPIsI2BYs3SvP
WpPaDfwXAkEA05Gn+vVJ73HzF+EzsrMmGDowY6SQrcWlPnAlxEvqGBwUr2X0R3Z3
xYN+NRYoO1MY191AIwQMxlTqc1NRuqDjBQJAXI1DntwaRpkHpC+CIY6l6Gi9PXaL
5ZJYPPZ1vlLaX9Z+DVRnpy1s1OUn4n8Am6mTtDRIG+6GlKOwM/buhTMRcQJAMOAh
UlSANBS69/VKoCnKzyYCL8LAuaRDPF1kHCj9d3xlOu/usuOnX7W03ka0HKBhyNyQ
CIbS/K55SxMgemDYkQJBAIKnK+j7KsTbpZY+Dfnuu7M87TqyH5eeBp0WeUfF9nms
1yvpOKSQS8yzEF3nA/a1hjY86XK1nTCpHmqgN8R+fg0=
-----END RSA PRIVATE KEY-----
`;
const RSA1024_PKCS8 = `-----BEGIN PRIVATE KEY-----
MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBAMGTYCkFlfN62mSa
LTzYAMCe5T6k6/E7pF4VxCkQYXhlA6RIw/dql/lzjHX9tSGU65mFwx7PWHHHzlZW
hIHFerGETBXUasajL0h2njW9sS+SUXutl0t+9viJq26oqGahHfXGChHLDMQbjTf9
sW1BYLw0LZJEFaDeToyxiWrtLlFzAgMBAAECgYB9U+ybQpmONUk2fzewv+zkyTuF
LoPwAHxvycniCFADAeu0rsPp6WKRyAT105g1MNTE5fypcvdBW2q1LXjHCFNhgLQj
HODvkjTqRDMPB5lcklZuxOcIoF5SnTXRMj07wb76dcMm4gIiHChtDogMgWxAqKij
a4S1iMY5y5ZnJCAHqQJBAOo6XepT68fhxZt5TPX2veAJOtJnsdM4XcnkgUXq5BwB
PpgvV6mH1F4hqJtkY+lS9Fo8iwjYFizdK89ak9oN/BcCQQDTkaf69UnvcfMX4TOy
syYYOjBjpJCtxaU+cCXES+oYHBSvZfRHdnfFg341Fig7UxjX3UAjBAzGVOpzU1G6
oOMFAkBcjUOe3BpGmQekL4IhjqXoaL09dovlklg89nW+Utpf1n4NVGenLWzU5Sfi
fwCbqZO0NEgb7oaUo7Az9u6FMxFxAkAw4CFSVIA0FLr39UqgKcrPJgIvwsC5pEM8
XWQcKP13fGU67+6y46dftbTeRrQcoGHI3JAIhtL8rnlLEyB6YNiRAkEAgqcr6Psq
xNullj4N+e67szztOrIfl54GnRZ5R8X2eazXK+k4pJBLzLMQXecD9rWGNjzpcrWd
MKkeaqA3xH5+DQ==
-----END PRIVATE KEY-----
`;
const RSA512_PKCS1 = `-----BEGIN RSA PRIVATE KEY-----
MIIBPAIBAAJBALfkr8CxuDJeCaHrtA5/vaDIZuaFaV1jU9SO6eUBlnwXbOs7UGEV
Dll0NIN003kQ1elH9v22y7XS0BSnHBXry9ECAwEAAQJABJW9FA7aStcxYkogKSRi
M/oLJsA4yk1Jr8kIZ99MQze/ba3eaozrJ79qEvTV9tBvdyRr5twWFmEpMWPIhksH
6QIhAO/p/AGx9SziwmWjk5PU9h7/C/KZu6eDC1TtqIBklNOjAiEAxDkh1pvNNGUO
5gDzl2512mOD7BAB4vNJ5epd4J2rOfsCIQDfsmkyX27+ujSONpZdCf2u6xqFywgo
6cxAFRS/GomWRwIhALtG3/Hoz2hDT33byKFt7pNZyW4DNRm7I3uJPMIFGYgDAiEA
nHdV8Mo84EhVEa+xhrhEd/YPAnwRPOeixaCErm7n/Fg=
-----END RSA PRIVATE KEY-----
`;
const X25519 = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VuBCIEILCWxnwwZOcuPrH3knMibKQOF3zlamf49d5Kv5Q08uBG
-----END PRIVATE KEY-----
`;
const DSA_PKCS8 = `-----BEGIN PRIVATE KEY-----
MIIBSgIBADCCASsGByqGSM44BAEwggEeAoGBAKaOUC83JJ2GhCuSP8lkxsJJ28By
b5k/+/anTpad3z3si/iVOLdueacyz9cLdzBgjzUXptOEnrxI+nGf3hM3ElIw+jIH
XRYKxBKsBPImH222xreFPtTrzkIJfgJI53cYDaywOa0+2TU9EEKd3GYSMbsmHJNT
5WTv3gUF3oRYgmCPAhUAqxkBC+Ass29jR4rTv194QqF/+3sCgYADFsBUmB+TYW5f
e0bQFJFlGoLki0XF19pF0v0pzQD6Vk42j/5kBwNeI33i4+hD66e97SjjqsjP/nEY
4gNZBJzLbXldPKwszVQFNjWT/0WkcygZPGKLtshY4b9A3N2U5KHQqBDiA9dBoOl6
JJZEKQYXvNO5Zac9MIVqdOa6dZfacgQWAhQZ4PZg7UKsiRvDe7rlH4PELaacWA==
-----END PRIVATE KEY-----
`;
const DSA = `-----BEGIN DSA PRIVATE KEY-----
MIIDVwIBAAKCAQEAp8WXHw7KNSv2IjGRFbalIA9MudLCMcL4Nw4qpkTNLbaqCCha
2ElGoz+A7wUicAOQC97ANc68izU9G8EnloJ0stlByJ2VDEdSxK4HAQH+6FrqvT0F
BqTMYh6tJb4ZHmg4VYSgiI0x/59KK/2KO6po7No2MHkDIXXdL8IAJnc3KbxEeIwi
VptjnZZ0vOsXo+o67tU8kTfK1FxXBP0UDtCj/UHteoWPKcr5YR1PKu2tF2eRyRV7
y40nw7shTPlPq1+QZjS7URCiJSXVkQTqlXul8aehaHBdtDHSXLLsfjg589XZAx0u
HTSNuXp8ZYJRRqkkPT6eL2QKY2PnzjnN4oNk3QIhAK6RmF8F1bhpy5s8p2OUA+X6
HD57zBnTazA/1lj0PLjrAoIBADTBZb24WNuQruw1QMs28534ZUJu0GhNI6LsTRA1
XVRkIQSoP18aTQ9wNEHo2Evx4WdNmb4iDQ70Ra7eQthIBzRoF9N8KKGjikBYNNQ9
MMG3Btu1EXvkuOv4Vse5IsMH7gKmCXy0jq1mWqNKliL++wPPZrogTommM6/6f8H/
vntDO8dkA05JxEH8bnU8F62wD8gw2nCz1hE+aWp9ip+B/hOTi83i6tnU82CQ/VK7
oVqa4MSekn3d6ZFX6x1IAlRAYGO/V0sy1WujHkMiY/nU5/fnvFZWBzac7gRgWuRm
u0vSAeiz6+N4++/QW4H3goPiMvAZY4xCc87bo936xNJWLsMCggEBAKVCRnWSd6qp
L2rYJoSJ4Y6oEmOSRPX5bUH4BUmNMorr2Wm9vxRiHw9kl9OZBkeVihGYWknXc77g
rnvsUusbs4xIOVXowjfRxFmW4lvShkYlI2NvQZgMtMVpuH69JKeYgfRsyGC+0HsK
TGwsvS3kSCY+ugU9FD3XRAWojP+MeThBp+Q7NzTZXZDsySdn/gbaY/oSjuTqMvOZ
RYqIi+XkL64aSU9vac9fFut/kGRIn83Epdl3b8kHXF5m7AHX397VBwKJB9owWu5+
zD7GbRMe7v2HWUdNZDsz/NAGIkrlocIZaiR5hBTP+kf7A7y04IT3f1TT5RVR+dB/
gquv63f+xrgCIQCUsFwO72xdvFZ+F/iw17ns4RVqIbvpe92Oqiko43Uoyw==
-----END DSA PRIVATE KEY-----
`;
const CA_CERT = `-----BEGIN CERTIFICATE-----
MIIBSzCB/qADAgECAhEAm+KfNWKVDc/53FlOcUlwJzAFBgMrZXAwFTETMBEGA1UE
AxMKZml4dHVyZS1jYTAgFw03MDAxMDEwMDAwMDBaGA8yMDY5MTIwNzAwMDAwMFow
FTETMBEGA1UEAxMKZml4dHVyZS1jYTAqMAUGAytlcAMhAOsfimfe/op7p+xFxmgk
NNMPUIXjcnie4ZtoRTVuMMgho2EwXzAOBgNVHQ8BAf8EBAMCAqQwHQYDVR0lBBYw
FAYIKwYBBQUHAwEGCCsGAQUFBwMCMA8GA1UdEwEB/wQFMAMBAf8wHQYDVR0OBBYE
FP350Sn/fZbWk9vgax5HXVAZuQzmMAUGAytlcANBAOxnXw3OrFcBDokJoG6zGtuZ
L/mtaoGH90Y+49RX/Q+gt3+4gCEPbxDzl5/ynwkBFLGRqT9hnBL0R40D6uI1gA0=
-----END CERTIFICATE-----
`;

const raw = (s: string): string => '`' + s + '`';
const b64 = (s: string): string => JSON.stringify(Buffer.from(s).toString('base64'));
const retype = (pem: string, from: string, to: string): string => raw(pem.replaceAll(from, to));
const pemOf = (type: string, body: string): string => raw(`-----BEGIN ${type}-----\n${body}\n-----END ${type}-----\n`);
/** a certificate struct from the fixtures, for the signing functions */
const fixtureCA = (key = ED): string => `{{ $ca := sprig_buildCustomCert ${b64(CA_CERT)} ${b64(key)} }}`;
const selfSigned = (key: string): string => `sprig_genSelfSignedCertWithKey "x" nil nil 1 ${raw(key)}`;

const keyTexts: Array<[string, string]> = [
  ['not-pem', raw('junk')],
  ['certificate-block', raw(CA_CERT)],
  ['unknown-type', retype(RSA1024_PKCS1, 'RSA PRIVATE KEY', 'FOO PRIVATE KEY')],
  ['no-type', retype(RSA1024_PKCS1, 'RSA PRIVATE KEY', ' PRIVATE KEY')],
  ['pkcs8-as-rsa', retype(P256_PKCS8, 'PRIVATE KEY', 'RSA PRIVATE KEY')],
  ['pkcs8-as-ec', retype(P256_PKCS8, 'PRIVATE KEY', 'EC PRIVATE KEY')],
  ['sec1-as-pkcs8', retype(P256_SEC1, 'EC PRIVATE KEY', 'PRIVATE KEY')],
  ['sec1-as-rsa', retype(P256_SEC1, 'EC PRIVATE KEY', 'RSA PRIVATE KEY')],
  ['pkcs1-as-pkcs8', retype(RSA1024_PKCS1, 'RSA PRIVATE KEY', 'PRIVATE KEY')],
  ['pkcs1-as-ec', retype(RSA1024_PKCS1, 'RSA PRIVATE KEY', 'EC PRIVATE KEY')],
  ['pkcs1-as-dsa', retype(RSA1024_PKCS1, 'RSA PRIVATE KEY', 'DSA PRIVATE KEY')],
  ['sec1-as-dsa', retype(P256_SEC1, 'EC PRIVATE KEY', 'DSA PRIVATE KEY')],
  ['dsa-pkcs8', raw(DSA_PKCS8)],
  ['empty-pkcs8', pemOf('PRIVATE KEY', '')],
  ['empty-dsa', pemOf('DSA PRIVATE KEY', '')],
  ['hello-rsa', pemOf('RSA PRIVATE KEY', 'aGVsbG8=')],
  ['empty-seq-ec', pemOf('EC PRIVATE KEY', 'MAA=')],
  ['empty-seq-rsa', pemOf('RSA PRIVATE KEY', 'MAA=')],
  ['version-only-pkcs8', pemOf('PRIVATE KEY', 'MAMCAQA=')],
  ['version-only-dsa', pemOf('DSA PRIVATE KEY', 'MAMCAQA=')],
  ['two-ints-dsa', pemOf('DSA PRIVATE KEY', 'MAYCAQACAQA=')],
  ['ec-no-curve', pemOf('EC PRIVATE KEY', 'MAYCAQEEAQE=')],
  ['ec-version-2', pemOf('EC PRIVATE KEY', 'MAYCAQIEAQE=')],
  ['rsa-version-only', pemOf('RSA PRIVATE KEY', 'MAMCAQA=')],
  ['bad-base64-body', pemOf('RSA PRIVATE KEY', 'MAMCAQA')],
  ['text-before-pem', raw('some text\n' + RSA1024_PKCS1)],
  ['rsa-trailing-data', pemOf('RSA PRIVATE KEY', Buffer.concat([Buffer.from(RSA1024_PKCS1.split('\n').slice(1, -2).join(''), 'base64'), Buffer.from([5, 0])]).toString('base64'))],
  ['long-length', pemOf('RSA PRIVATE KEY', 'MIAA')],
  ['indefinite', pemOf('RSA PRIVATE KEY', 'MIA=')],
];

export default cases('gencert', [
  // the struct
  ['type', `{{ printf "%T" (sprig_genCAWithKey "x" 1 ${raw(ED)}) }} {{ printf "%T" (${selfSigned(ED)}).Cert }}`],
  ['field-missing', `{{ (${selfSigned(ED)}).Foo }}`],
  ['index-struct', `{{ index (${selfSigned(ED)}) "Cert" }}`],
  ['len-struct', `{{ len (${selfSigned(ED)}) }}`],
  ['range-struct', `${fixtureCA()}{{ range $ca }}x{{ end }}`],
  ['if-struct', `{{ if (${selfSigned(ED)}) }}yes{{ end }}`],
  ['custom-fields', `${fixtureCA()}{{ $ca.Cert }}|{{ $ca.Key }}`],
  ['custom-print', `${fixtureCA()}{{ $ca }}|{{ printf "%v|%+v" $ca $ca }}`],
  ['custom-sharp-v', `${fixtureCA()}{{ printf "%#v" $ca }}`],
  ['custom-json', `${fixtureCA()}{{ toJSON $ca }}|{{ toJSONPretty $ca }}`],
  ['custom-yaml', `${fixtureCA()}{{ toYAML $ca }}`],
  ['custom-eq', `${fixtureCA()}{{ $b := sprig_buildCustomCert ${b64(CA_CERT)} ${b64(ED)} }}{{ eq $ca $b }}`],
  // the key comes back as sprig's pemBlockForKey writes it
  ['key-ed25519', `{{ (${selfSigned(ED)}).Key }}`],
  ['key-p256-pkcs8-as-sec1', `{{ (${selfSigned(P256_PKCS8)}).Key }}`],
  ['key-p256-sec1', `{{ (${selfSigned(P256_SEC1)}).Key }}`],
  ['key-rsa-pkcs8-as-pkcs1', `{{ (${selfSigned(RSA1024_PKCS8)}).Key }}`],
  ['key-rsa-pkcs1', `{{ (sprig_genCAWithKey "x" 1 ${raw(RSA1024_PKCS1)}).Key }}`],
  ['key-signed-ed25519', `${fixtureCA()}{{ (sprig_genSignedCertWithKey "leaf" nil nil 1 $ca ${raw(P256_SEC1)}).Key }}`],
  ['key-signed-rsa512-leaf', `${fixtureCA()}{{ (sprig_genSignedCertWithKey "leaf" nil nil 1 $ca ${raw(RSA512_PKCS1)}).Key }}`],
  // genPrivateKey
  ['genPrivateKey-unknown', '{{ sprig_genPrivateKey "bad" }}|{{ sprig_genPrivateKey "RSA" }}|{{ sprig_genPrivateKey "ec" }}|{{ sprig_genPrivateKey "Ed25519" }}|{{ sprig_genPrivateKey " rsa" }}|{{ sprig_genPrivateKey "ecdsa" | printf "%T" }}'],
  ['genPrivateKey-arity', '{{ sprig_genPrivateKey }}'],
  ['genPrivateKey-int', '{{ sprig_genPrivateKey 1 }}'],
  // keys that cannot sign or be certified
  ['dsa-cannot-sign', `{{ sprig_genCAWithKey "x" 1 ${raw(DSA)} }}`],
  ['dsa-self-signed', `{{ ${selfSigned(DSA)} }}`],
  ['dsa-leaf', `${fixtureCA()}{{ sprig_genSignedCertWithKey "x" nil nil 1 $ca ${raw(DSA)} }}`],
  ['dsa-ca-key', `${fixtureCA(DSA)}{{ sprig_genSignedCertWithKey "x" nil nil 1 $ca ${raw(ED)} }}`],
  ['x25519-cannot-sign', `{{ sprig_genCAWithKey "x" 1 ${raw(X25519)} }}`],
  ['x25519-leaf', `${fixtureCA()}{{ sprig_genSignedCertWithKey "x" nil nil 1 $ca ${raw(X25519)} }}`],
  ['x25519-ca-key', `${fixtureCA(X25519)}{{ sprig_genSignedCert "x" nil nil 1 $ca }}`],
  ['rsa512-signer', `{{ sprig_genCAWithKey "x" 1 ${raw(RSA512_PKCS1)} }}`],
  ['ca-key-mismatch', `${fixtureCA(ED_OTHER)}{{ sprig_genSignedCertWithKey "x" nil nil 1 $ca ${raw(ED)} }}`],
  ['ca-key-mismatch-type', `${fixtureCA(P256_SEC1)}{{ sprig_genSignedCertWithKey "x" nil nil 1 $ca ${raw(ED)} }}`],
  ['signed-by-fixture', `${fixtureCA()}{{ sprig_genSignedCertWithKey "x" (sprig_list "10.0.0.1") (sprig_list "x.example") 1 $ca ${raw(ED)} | printf "%T" }}`],
  ...keyTexts.map(([name, key]): [string, string] => [`key-${name}`, `{{ (sprig_genCAWithKey "x" 1 ${key}).Key }}`]),
  ['key-error-selfsigned', `{{ sprig_genSelfSignedCertWithKey "x" nil nil 1 ${raw('junk')} }}`],
  ['key-error-signed-first', `{{ sprig_genSignedCertWithKey "x" (sprig_list "bad") nil 1 (${selfSigned(ED)}) ${raw('junk')} }}`],
  // buildCustomCert
  ['custom-bad-base64-cert', '{{ sprig_buildCustomCert "!!" "" }}'],
  ['custom-bad-base64-key', `{{ sprig_buildCustomCert ${b64(CA_CERT)} "a" }}`],
  ['custom-not-pem', `{{ sprig_buildCustomCert ${b64('fail')} ${b64(ED)} }}`],
  ['custom-empty', '{{ sprig_buildCustomCert "" "" }}'],
  ['custom-key-as-cert', `{{ sprig_buildCustomCert ${b64(ED)} ${b64(ED)} }}`],
  ['custom-cert-as-key', `{{ sprig_buildCustomCert ${b64(CA_CERT)} ${b64(CA_CERT)} }}`],
  ['custom-bad-key', `{{ sprig_buildCustomCert ${b64(CA_CERT)} ${b64('junk')} }}`],
  ['custom-dsa-key', `{{ (sprig_buildCustomCert ${b64(CA_CERT)} ${b64(DSA)}).Key | len }}`],
  ['custom-empty-sequence', `{{ sprig_buildCustomCert ${b64('-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n')} "" }}`],
  ['custom-tbs-only', `{{ sprig_buildCustomCert ${b64('-----BEGIN CERTIFICATE-----\nMAMwAQA=\n-----END CERTIFICATE-----\n')} "" }}`],
  ['custom-version-only', `{{ sprig_buildCustomCert ${b64('-----BEGIN CERTIFICATE-----\nMAUwAwIBAA==\n-----END CERTIFICATE-----\n')} "" }}`],
  ['custom-trailing-data', `{{ sprig_buildCustomCert ${b64(`-----BEGIN CERTIFICATE-----\n${Buffer.concat([Buffer.from(CA_CERT.split('\n').slice(1, -2).join(''), 'base64'), Buffer.from([0])]).toString('base64')}\n-----END CERTIFICATE-----\n`)} ${b64(ED)} }}`],
  ['custom-text-around', `{{ (sprig_buildCustomCert ${b64('leading text\n' + CA_CERT + 'trailing text\n')} ${b64(ED)}).Cert }}`],
  ['custom-base64-newlines', `{{ (sprig_buildCustomCert ${JSON.stringify(Buffer.from(CA_CERT).toString('base64').replace(/(.{60})/g, '$1\r\n'))} ${b64(ED)}).Cert | len }}`],
  ['custom-arity', '{{ sprig_buildCustomCert "" }}'],
  // IPs and DNS names
  ...['1.2.3.04', 'fe80::1%eth0', '1.2.3', '1.2.3.4.5', '::ffff:1.2.3.4.5', '1:2:3:4:5:6:7:8:9', ':::', '', '256.1.1.1', '1::2::3', 'localhost', '[::1]', ' 1.2.3.4', '1:2:3:4:5:6:7::8', '::1.2.3.4:5']
    .map((ip, i): [string, string] => [`bad-ip-${i}`, `{{ sprig_genSelfSignedCertWithKey "x" (sprig_list ${JSON.stringify(ip)}) nil 1 ${raw(ED)} }}`]),
  ['good-ips', `{{ sprig_genSelfSignedCertWithKey "x" (sprig_list "0.0.0.0" "::" "1::" "::ffff:1.2.3.4" "1:2:3:4:5:6:7:8" "1:2:3:4:5:6:1.2.3.4" "a:B:c::" "::1.2.3.4" "1::2:3.4.5.6") nil 1 ${raw(ED)} | printf "%T" }}`],
  ['ip-not-string', `{{ sprig_genSelfSignedCertWithKey "x" (sprig_list "1.2.3.4" 5) nil 1 ${raw(ED)} }}`],
  ['ip-nil', `{{ sprig_genSelfSignedCertWithKey "x" (sprig_list nil) nil 1 ${raw(ED)} }}`],
  ['ip-float-from-data', `{{ sprig_genSelfSignedCertWithKey "x" .ips nil 1 ${raw(ED)} }}`, { data: { ips: [1.5] } }],
  ['ip-before-dns', `{{ sprig_genSelfSignedCertWithKey "x" (sprig_list "bad") (sprig_list 1) 1 ${raw(ED)} }}`],
  ['dns-not-string', `{{ sprig_genSelfSignedCertWithKey "x" nil (sprig_list "ok" 2.5) 1 ${raw(ED)} }}`],
  ['dns-list-of-list', `{{ sprig_genSelfSignedCertWithKey "x" nil (sprig_list (sprig_list "a")) 1 ${raw(ED)} }}`],
  ['dns-not-ascii', `{{ sprig_genSelfSignedCertWithKey "x" nil (sprig_list "a.example" "é.example") 1 ${raw(ED)} }}`],
  ['dns-invalid-utf8', `{{ sprig_genSelfSignedCertWithKey "x" nil (sprig_list (sprig_b64dec "/w==")) 1 ${raw(ED)} }}`],
  ['cn-invalid-utf8', `{{ sprig_genSelfSignedCertWithKey (sprig_b64dec "/w==") nil nil 1 ${raw(ED)} }}`],
  ['dns-from-data', `{{ sprig_genSelfSignedCertWithKey "x" nil .dns 1 ${raw(ED)} | printf "%T" }}`, { data: { dns: ['a.example', 'b'] } }],
  ['list-string-arg', `{{ sprig_genSelfSignedCertWithKey "x" "1.2.3.4" nil 1 ${raw(ED)} }}`],
  ['list-strings-arg', `{{ sprig_genSelfSignedCertWithKey "x" (sprig_splitList "," "1.2.3.4") nil 1 ${raw(ED)} }}`],
  ['list-map-arg', `{{ sprig_genSelfSignedCertWithKey "x" nil (sprig_dict "a" 1) 1 ${raw(ED)} }}`],
  ['list-map-data', `{{ sprig_genSelfSignedCertWithKey "x" .m nil 1 ${raw(ED)} }}`, { data: { m: { a: 1 } } }],
  // the other arguments
  ['days-float', `{{ sprig_genCAWithKey "x" 1.5 ${raw(ED)} }}`],
  ['days-string', `{{ sprig_genCAWithKey "x" "1" ${raw(ED)} }}`],
  ['days-float-data', `{{ sprig_genCAWithKey "x" .d ${raw(ED)} }}`, { data: { d: 1 } }],
  ['days-int64', `{{ sprig_genCAWithKey "x" (sprig_int64 5) ${raw(ED)} }}`],
  ['cn-int', `{{ sprig_genCAWithKey 1 1 ${raw(ED)} }}`],
  ['key-int', '{{ sprig_genCAWithKey "x" 1 1 }}'],
  ['genCA-arity', '{{ sprig_genCA "x" }}'],
  ['genSignedCert-arity', '{{ sprig_genSignedCert "x" nil nil 1 }}'],
  ['ca-string', '{{ sprig_genSignedCert "x" nil nil 1 "ca" }}'],
  ['ca-nil', '{{ sprig_genSignedCert "x" nil nil 1 nil }}'],
  ['ca-dict', '{{ sprig_genSignedCert "x" nil nil 1 (sprig_dict "Cert" "a" "Key" "b") }}'],
  ['ca-data', '{{ sprig_genSignedCert "x" nil nil 1 .ca }}', { data: { ca: { Cert: 'a', Key: 'b' } } }],
  ['ca-missing', '{{ sprig_genSignedCert "x" nil nil 1 .nope }}'],
  ['ca-semver', '{{ sprig_genSignedCert "x" nil nil 1 (sprig_semver "1.2.3") }}'],
]);
