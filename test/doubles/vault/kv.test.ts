import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startVaultDouble, type VaultDouble } from './index.ts';
import { canonicalJson, parseJsonNode, stringifyWire, RawJson } from './raw-json.ts';
import { assertShape, call, fakeClock, fixture, notFoundBody, pick } from './test-helpers.ts';

describe('KV version 1', () => {
  let vault: VaultDouble;
  let token: string;
  before(async () => {
    vault = await startVaultDouble();
    vault.enableKv('kv', 1);
    token = vault.rootToken;
  });
  after(() => vault.close());

  it('writes (204), reads with the advisory lease_duration, lists folders with a slash, deletes', async () => {
    const write = await call(vault, 'POST', 'kv/foo', { token, body: { foo: 'bar', ttl: '1h' } });
    assert.equal(write.status, 204);
    assert.equal((await call(vault, 'PUT', 'kv/foo/child', { token, body: fixture('kv1-write.request.json') })).status, 204);
    const read = await call(vault, 'GET', 'kv/foo', { token });
    assert.equal(read.status, 200);
    assertShape(read.body, fixture('kv1-read.response.json'));
    assertShape(read.body, fixture('kv2-read.full-wire.response.json'), { skip: ['$.data'] });
    assert.deepEqual(pick(read.body, 'data'), { foo: 'bar', ttl: '1h' });
    assert.equal(pick(read.body, 'lease_duration'), 3600);
    assert.equal(pick(read.body, 'lease_id'), '');
    assert.equal(pick(read.body, 'mount_type'), 'kv');
    const child = await call(vault, 'GET', 'kv/foo/child', { token });
    assert.equal(pick(child.body, 'lease_duration'), 2764800, 'no ttl key: the mount default (768h)');
    const list = await call(vault, 'LIST', 'kv/', { token });
    assertShape(list.body, fixture('kv1-list.response.json'));
    assert.deepEqual(pick(list.body, 'data.keys'), ['foo', 'foo/']);
    assert.deepEqual(pick((await call(vault, 'GET', 'kv?list=true', { token })).body, 'data.keys'), ['foo', 'foo/']);
    assert.equal((await call(vault, 'DELETE', 'kv/foo', { token })).status, 204);
    const gone = await call(vault, 'GET', 'kv/foo', { token });
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body, notFoundBody);
  });

  it('keeps number text exactly as written (putKv raw text and HTTP writes)', async () => {
    vault.putKv('kv', 'db', '{"port": 5432.0, "big": 12345678901234567890, "name": "x"}');
    const read = await call(vault, 'GET', 'kv/db', { token });
    assert.match(read.text, /"data":\{"big":12345678901234567890,"name":"x","port":5432\.0\}/);
    await call(vault, 'POST', 'kv/db2', { token, rawBody: '{"ratio": 1.50, "n": 1e3}' });
    assert.match((await call(vault, 'GET', 'kv/db2', { token })).text, /"data":\{"n":1e3,"ratio":1\.50\}/);
  });

  const errors: Array<[string, string, string, unknown, number, unknown]> = [
    ['missing key', 'GET', 'kv/missing', undefined, 404, { errors: [] }],
    ['empty list', 'LIST', 'kv/nothing-here/', undefined, 404, { errors: [] }],
    ['write to a path ending in /', 'POST', 'kv/dir/', { a: 1 }, 400, { errors: ["cannot write to a path ending in '/'"] }],
    ['write with no data', 'POST', 'kv/empty', {}, 400, { errors: ['missing data fields'] }],
    ['body that is not JSON', 'POST', 'kv/x', '{not json', 400, { errors: ['failed to parse JSON input: invalid JSON object'] }],
  ];
  for (const [name, method, path, body, status, expected] of errors) {
    it(`${name} → ${status}`, async () => {
      const response = await call(vault, method, path, typeof body === 'string' ? { token, rawBody: body } : { token, body });
      assert.equal(response.status, status);
      assert.deepEqual(response.body, expected);
    });
  }
});

describe('KV version 2', () => {
  const clock = fakeClock();
  let vault: VaultDouble;
  let token: string;
  before(async () => {
    vault = await startVaultDouble({ now: clock.now });
    vault.enableKv('secret', 2);
    token = vault.rootToken;
  });
  after(() => vault.close());

  it('write answers the version metadata; read answers the full-wire fixture shape', async () => {
    const write = await call(vault, 'POST', 'secret/data/app/config', { token, body: fixture('kv2-write.request.json') });
    assert.equal(write.status, 200);
    assertShape(write.body, fixture('kv2-write.response.json'), { nullable: ['$.data.custom_metadata'] });
    assert.equal(pick(write.body, 'data.version'), 1);
    const read = await call(vault, 'GET', 'secret/data/app/config', { token });
    assert.equal(read.status, 200);
    assertShape(read.body, fixture('kv2-read.full-wire.response.json'), { exact: true, skip: ['$.data.data'] });
    assertShape(read.body, fixture('kv2-read.response.json'), { nullable: ['$.data.metadata.custom_metadata'], skip: ['$.data.data'] });
    assert.deepEqual(pick(read.body, 'data.data'), { foo: 'bar', zip: 'zap' });
    assert.equal(pick(read.body, 'data.metadata.created_time'), new Date(clock.now()).toISOString().replace('.000Z', 'Z'));
    assert.equal(pick(read.body, 'mount_type'), 'kv');
  });

  it('keeps versions, answers ?version=N, and check-and-set', async () => {
    vault.putKv('secret', 'versions', { n: '1' });
    clock.advance(1);
    vault.putKv('secret', 'versions', '{"n": 2.0}');
    const latest = await call(vault, 'GET', 'secret/data/versions', { token });
    assert.match(latest.text, /"data":\{"n":2\}/, 'KV v2 answers numbers as float64, as OpenBao does (contract.test.ts)');
    assert.equal(pick(latest.body, 'data.metadata.version'), 2);
    const first = await call(vault, 'GET', 'secret/data/versions?version=1', { token });
    assert.deepEqual(pick(first.body, 'data.data'), { n: '1' });
    const missingVersion = await call(vault, 'GET', 'secret/data/versions?version=9', { token });
    assert.equal(missingVersion.status, 404);
    assert.deepEqual(missingVersion.body, notFoundBody);
    const badCas = await call(vault, 'POST', 'secret/data/versions', { token, body: { options: { cas: 1 }, data: { n: 3 } } });
    assert.equal(badCas.status, 400);
    assert.deepEqual(badCas.body, { errors: ['check-and-set parameter did not match the current version'] });
    assert.equal((await call(vault, 'POST', 'secret/data/versions', { token, body: { options: { cas: 2 }, data: { n: 3 } } })).status, 200);
    const noData = await call(vault, 'POST', 'secret/data/versions', { token, body: { options: {} } });
    assert.deepEqual(noData.body, { errors: ['no data provided'] });
  });

  it('soft-deleted and destroyed versions answer 404 with the DERIVED bodies', async () => {
    vault.putKv('secret', 'doomed', { v: 'one' });
    vault.putKv('secret', 'doomed', { v: 'two' });
    assert.equal((await call(vault, 'DELETE', 'secret/data/doomed', { token })).status, 204);
    const deleted = await call(vault, 'GET', 'secret/data/doomed', { token });
    assert.equal(deleted.status, 404);
    assert.equal(deleted.headers.get('content-type'), 'application/json');
    assertShape(deleted.body, fixture('kv2-read-deleted-version-404.DERIVED.response.json'), { exact: true });
    assert.equal(pick(deleted.body, 'data.data'), null);
    assert.equal(pick(deleted.body, 'data.metadata.version'), 2);
    assert.notEqual(pick(deleted.body, 'data.metadata.deletion_time'), '');
    assert.equal(pick(deleted.body, 'mount_type'), '');

    assert.equal((await call(vault, 'PUT', 'secret/destroy/doomed', { token, body: fixture('kv2-delete-versions.request.json') })).status, 204);
    const destroyed = await call(vault, 'GET', 'secret/data/doomed?version=1', { token });
    assert.equal(destroyed.status, 404);
    assertShape(destroyed.body, fixture('kv2-read-destroyed-version-404.DERIVED.response.json'), { exact: true });
    assert.equal(pick(destroyed.body, 'data.metadata.destroyed'), true);
    assert.equal(pick(destroyed.body, 'data.metadata.deletion_time'), '');

    vault.putKv('secret', 'revived', { v: 'x' });
    await call(vault, 'POST', 'secret/delete/revived', { token, body: { versions: [1] } });
    assert.equal((await call(vault, 'GET', 'secret/data/revived', { token })).status, 404);
    await call(vault, 'POST', 'secret/undelete/revived', { token, body: { versions: [1] } });
    assert.equal((await call(vault, 'GET', 'secret/data/revived', { token })).status, 200);
  });

  it('metadata read and list have the fixture shapes; LIST needs the metadata/ path', async () => {
    vault.putKv('secret', 'meta/one', { a: 'b' });
    vault.putKv('secret', 'meta/one', { a: 'c' });
    vault.putKv('secret', 'meta/sub/two', { a: 'b' });
    const metadata = await call(vault, 'GET', 'secret/metadata/meta/one', { token });
    assert.equal(metadata.status, 200);
    assertShape(metadata.body, fixture('kv2-metadata-read.response.json'), { nullable: ['$.data.custom_metadata'], skip: ['$.data.versions.3'] });
    assert.deepEqual(Object.keys(pick(metadata.body, 'data.versions') as object), ['1', '2']);
    assert.equal(pick(metadata.body, 'data.current_version'), 2);
    assert.equal(pick(metadata.body, 'data.delete_version_after'), '0s');
    const list = await call(vault, 'LIST', 'secret/metadata/meta', { token });
    assertShape(list.body, fixture('kv2-metadata-list.response.json'));
    assert.deepEqual(pick(list.body, 'data.keys'), ['one', 'sub/']);
    assert.equal((await call(vault, 'LIST', 'secret/metadata/none', { token })).status, 404);
    await call(vault, 'POST', 'secret/metadata/meta/one', { token, body: { custom_metadata: { owner: 'jdoe' } } });
    const read = await call(vault, 'GET', 'secret/data/meta/one', { token });
    assert.deepEqual(pick(read.body, 'data.metadata.custom_metadata'), { owner: 'jdoe' });
    assert.equal((await call(vault, 'DELETE', 'secret/metadata/meta/one', { token })).status, 204);
    assert.equal((await call(vault, 'GET', 'secret/data/meta/one', { token })).status, 404);
  });

  it('config reads like the fixture', async () => {
    const config = await call(vault, 'GET', 'secret/config', { token });
    assertShape(config.body, fixture('kv2-config-read.response.json'));
  });

  it('a v1-style path on a v2 mount answers 404 with the KV warning', async () => {
    const response = await call(vault, 'GET', 'secret/app/config', { token });
    assert.equal(response.status, 404);
    assert.deepEqual(pick(response.body, 'warnings'), ["Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation."]);
  });
});

describe('sys/internal/ui/mounts', () => {
  let vault: VaultDouble;
  before(async () => {
    vault = await startVaultDouble();
    vault.enableKv('secret', 2);
    vault.enableKv('kv', 1);
    vault.enableDatabase();
    vault.writePolicy('secret-reader', 'path "secret/data/app/*" { capabilities = ["read"] }');
  });
  after(() => vault.close());

  const cases: Array<[string, string, Record<string, string> | null]> = [
    ['secret/app/config', 'kv', { version: '2' }],
    ['secret', 'kv', { version: '2' }],
    ['kv/app', 'kv', { version: '1' }],
    ['database/creds/app', 'database', null],
  ];
  for (const [path, type, options] of cases) {
    it(`${path} → type ${type}, options ${JSON.stringify(options)}`, async () => {
      const response = await call(vault, 'GET', `sys/internal/ui/mounts/${path}`, { token: vault.rootToken });
      assert.equal(response.status, 200);
      // The doc sample predates plugin versioning; those four fields are held to OpenBao by contract.test.ts.
      assertShape(pick(response.body, 'data'), fixture('sys-internal-ui-mounts-path.response.json'), { exact: true, skip: ['$.options', '$.deprecation_status', '$.plugin_version', '$.running_plugin_version', '$.running_sha256'] });
      assert.equal(pick(response.body, 'data.type'), type);
      assert.deepEqual(pick(response.body, 'data.options'), options);
    });
  }

  it('answers a token with access to the mount, and 403 preflight otherwise', async () => {
    const token = vault.createToken({ policies: ['secret-reader'] });
    assert.equal((await call(vault, 'GET', 'sys/internal/ui/mounts/secret/app/x', { token })).status, 200);
    const other = await call(vault, 'GET', 'sys/internal/ui/mounts/kv/app', { token });
    assert.equal(other.status, 403);
    assert.deepEqual(other.body, { errors: ['preflight capability check returned 403, please ensure client\'s policies grant access to path "kv/app/"'] });
    const unmounted = await call(vault, 'GET', 'sys/internal/ui/mounts/nothing/here', { token: vault.rootToken });
    assert.deepEqual(unmounted.body, { errors: ['preflight capability check returned 403, please ensure client\'s policies grant access to path "nothing/here/"'] });
    assert.equal((await call(vault, 'GET', 'sys/internal/ui/mounts/secret/x')).status, 403);
  });
});

describe('raw JSON helpers', () => {
  it('canonicalJson sorts keys, drops whitespace and keeps number text', () => {
    const node = parseJsonNode('{ "b": [1.0, {"z": 2, "a": "\\u00e9"}], "a": -0.50e+2 }');
    assert.ok(node !== undefined);
    assert.equal(canonicalJson(node), '{"a":-0.50e+2,"b":[1.0,{"a":"é","z":2}]}');
    assert.equal(parseJsonNode('{"a": 01}'), undefined);
    assert.equal(parseJsonNode('{"a": 1} x'), undefined);
  });
  it('stringifyWire embeds raw JSON verbatim', () => {
    assert.equal(stringifyWire({ data: new RawJson('{"port":5432.0}'), other: 'x' }), '{"data":{"port":5432.0},"other":"x"}');
  });
});
