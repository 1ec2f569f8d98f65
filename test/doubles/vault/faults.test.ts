import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startVaultDouble, type VaultDouble } from './index.ts';
import { ListRewriter } from './list-method.ts';
import { assertShape, call, fakeClock, fixture, pick } from './test-helpers.ts';

describe('faults and observation', () => {
  const clock = fakeClock();
  let vault: VaultDouble;
  before(async () => {
    vault = await startVaultDouble({ now: clock.now });
    vault.enableKv('secret', 2);
    vault.putKv('secret', 'app', { password: 'hunter2' });
  });
  after(() => vault.close());

  it('stop() refuses connections; start() comes back on the same port with state kept', async () => {
    const address = vault.address;
    await vault.stop();
    await assert.rejects(fetch(`${address}/v1/sys/health`), (error: Error) => {
      assert.equal((error.cause as { code?: string } | undefined)?.code, 'ECONNREFUSED');
      return true;
    });
    await vault.start();
    assert.equal(vault.address, address);
    const read = await call(vault, 'GET', 'secret/data/app', { token: vault.rootToken });
    assert.equal(pick(read.body, 'data.data.password'), 'hunter2');
  });

  it('stop() cuts keep-alive connections that were open', async () => {
    const agentResponse = await fetch(`${vault.address}/v1/sys/health`, { keepalive: true });
    await agentResponse.text();
    await vault.stop();
    await assert.rejects(fetch(`${vault.address}/v1/sys/health`));
    await vault.start();
    assert.equal((await fetch(`${vault.address}/v1/sys/health`)).status, 200);
  });

  const failures: Array<[403 | 500 | 503, unknown]> = [
    [403, fixture('error-permission-denied-bad-token.response.json')],
    [500, { errors: ['internal error'] }],
    [503, { errors: ['Vault is sealed'] }],
  ];
  for (const [status, body] of failures) {
    it(`failRequests(${status}) answers Vault's body for the next matching requests only`, async () => {
      vault.failRequests({ status, count: 2, pathPrefix: '/v1/secret/data/' });
      assert.equal((await call(vault, 'GET', 'auth/token/lookup-self', { token: vault.rootToken })).status, 200, 'other paths unaffected');
      for (let i = 0; i < 2; i++) {
        const failed = await call(vault, 'GET', 'secret/data/app', { token: vault.rootToken });
        assert.equal(failed.status, status);
        assert.deepEqual(failed.body, body);
      }
      assert.equal((await call(vault, 'GET', 'secret/data/app', { token: vault.rootToken })).status, 200);
    });
  }

  it('failRequests without count lasts until clearFailures(); a 503 makes health report sealed', async () => {
    vault.failRequests({ status: 503 });
    for (let i = 0; i < 3; i++) assert.equal((await call(vault, 'GET', 'secret/data/app', { token: vault.rootToken })).status, 503);
    const health = await call(vault, 'GET', 'sys/health');
    assert.equal(health.status, 503);
    assert.equal(pick(health.body, 'sealed'), true);
    vault.clearFailures();
    assert.equal((await call(vault, 'GET', 'secret/data/app', { token: vault.rootToken })).status, 200);
  });

  it('setSealed() seals everything but health', async () => {
    vault.setSealed(true);
    const read = await call(vault, 'GET', 'secret/data/app', { token: vault.rootToken });
    assert.equal(read.status, 503);
    assert.deepEqual(read.body, { errors: ['Vault is sealed'] });
    const health = await call(vault, 'GET', 'sys/health');
    assert.equal(health.status, 503);
    assert.equal(pick(health.body, 'cluster_id'), undefined, 'cluster fields are omitted when sealed');
    vault.setSealed(false);
  });

  it('setLatency() delays answers', async () => {
    vault.setLatency(150);
    const started = performance.now();
    await call(vault, 'GET', 'sys/health');
    const elapsed = performance.now() - started;
    vault.setLatency(0);
    assert.ok(elapsed >= 140, `took ${elapsed} ms`);
  });

  it('logs every request with method, path, status and the injected clock time', async () => {
    const before = vault.requests.length;
    clock.advance(42);
    await call(vault, 'LIST', 'secret/metadata/', { token: vault.rootToken });
    await call(vault, 'GET', 'secret/data/app?version=1', { token: vault.rootToken });
    const [list, read] = vault.requests.slice(before);
    assert.deepEqual(list, { method: 'LIST', path: '/v1/secret/metadata/', query: '', status: 200, at: clock.now() });
    assert.deepEqual(read, { method: 'GET', path: '/v1/secret/data/app', query: 'version=1', status: 200, at: clock.now() });
  });

  it('issuedValues() lists the root token, secret values and every token handed out', async () => {
    const token = vault.createToken({ policies: [] });
    const values = vault.issuedValues();
    assert.ok(values.includes(vault.rootToken));
    assert.ok(values.includes('hunter2'));
    assert.ok(values.includes(token));
  });
});

describe('sys/health', () => {
  let vault: VaultDouble;
  before(async () => {
    vault = await startVaultDouble({ now: () => Date.UTC(2026, 0, 1) });
  });
  after(() => vault.close());

  it('answers the fixture shape, unauthenticated, with no-store caching', async () => {
    const response = await call(vault, 'GET', 'sys/health');
    assert.equal(response.status, 200);
    assertShape(response.body, fixture('sys-health.response.json'), { exact: true });
    assert.equal(pick(response.body, 'server_time_utc'), Date.UTC(2026, 0, 1) / 1000);
    assert.equal(response.headers.get('cache-control'), 'no-store');
  });

  const codes: Array<[string, boolean, number]> = [
    ['', false, 200], ['?activecode=299', false, 299], ['?sealedcode=299', true, 299], ['', true, 503], ['?sealedcode=abc', false, 400],
  ];
  for (const [query, sealed, status] of codes) {
    it(`${sealed ? 'sealed' : 'active'} ${query || '(no params)'} → ${status}`, async () => {
      vault.setSealed(sealed);
      try {
        const response = await fetch(`${vault.address}/v1/sys/health${query}`);
        assert.equal(response.status, status);
      } finally {
        vault.setSealed(false);
      }
    });
  }

  it('HEAD answers the status only; other methods are 405', async () => {
    const head = await fetch(`${vault.address}/v1/sys/health`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    assert.equal((await fetch(`${vault.address}/v1/sys/health`, { method: 'POST' })).status, 405);
  });

  it('paths outside /v1/ are 404 {"errors":[]}', async () => {
    const response = await fetch(`${vault.address}/other`);
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { errors: [] });
  });
});

describe('LIST verb front', () => {
  it('rewrites LIST request lines across keep-alive requests, bodies and chunked encoding', () => {
    const rewriter = new ListRewriter();
    const input = [
      'POST /v1/a HTTP/1.1\r\nHost: x\r\nContent-Length: 13\r\n\r\n{"LIST /": 1}',
      'LIST /v1/secret/metadata/ HTTP/1.1\r\nHost: x\r\n\r\n',
      'PUT /v1/b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nLIST\r\n0\r\n\r\n',
      'LIST /v1/x?y=1 HTTP/1.1\r\nHost: x\r\n\r\n',
    ].join('');
    // Feed byte by byte to prove chunk boundaries do not matter.
    const out = Buffer.concat([...input].flatMap((ch) => rewriter.push(Buffer.from(ch, 'latin1')))).toString('latin1');
    assert.equal(out, [
      'POST /v1/a HTTP/1.1\r\nHost: x\r\nContent-Length: 13\r\n\r\n{"LIST /": 1}',
      'GET /v1/secret/metadata/?list=true HTTP/1.1\r\nX-Vault-Double-Method: LIST\r\nHost: x\r\n\r\n',
      'PUT /v1/b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nLIST\r\n0\r\n\r\n',
      'GET /v1/x?y=1&list=true HTTP/1.1\r\nX-Vault-Double-Method: LIST\r\nHost: x\r\n\r\n',
    ].join(''));
  });

  it('serves LIST from node:http clients on one keep-alive connection', async () => {
    const vault = await startVaultDouble();
    try {
      vault.enableKv('kv', 1);
      vault.putKv('kv', 'a', { x: '1' });
      const url = new URL(vault.address);
      const send = (method: string, path: string, body?: string): Promise<{ status: number; text: string }> => new Promise((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, method, path, headers: { 'X-Vault-Token': vault.rootToken } }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => { text += chunk.toString(); });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on('error', reject);
        req.end(body);
      });
      assert.equal((await send('POST', '/v1/kv/b', '{"y":"2"}')).status, 204);
      const listed = await send('LIST', '/v1/kv/');
      assert.equal(listed.status, 200);
      assert.deepEqual(JSON.parse(listed.text).data.keys, ['a', 'b']);
    } finally {
      await vault.close();
    }
  });
});

describe('response wrapping', () => {
  it('X-Vault-Wrap-TTL answers wrap_info only; unwrap returns the original once', async () => {
    const vault = await startVaultDouble();
    try {
      vault.enableKv('kv', 1);
      vault.putKv('kv', 'app', { zip: 'zap' });
      const wrapped = await call(vault, 'GET', 'kv/app', { token: vault.rootToken, headers: { 'X-Vault-Wrap-TTL': '5m' } });
      assert.equal(wrapped.status, 200);
      assertShape(wrapped.body, fixture('sys-wrapping-wrap.response.json'));
      assert.equal(pick(wrapped.body, 'data'), null);
      assert.equal(pick(wrapped.body, 'wrap_info.ttl'), 300);
      assert.equal(pick(wrapped.body, 'wrap_info.creation_path'), 'kv/app');
      const wrappingToken = pick(wrapped.body, 'wrap_info.token') as string;
      const lookup = await call(vault, 'POST', 'sys/wrapping/lookup', { body: { token: wrappingToken } });
      assertShape(lookup.body, fixture('sys-wrapping-lookup.response.json'));
      assert.equal(pick(lookup.body, 'data.creation_ttl'), 300);
      const unwrapped = await call(vault, 'POST', 'sys/wrapping/unwrap', { token: wrappingToken });
      assert.equal(unwrapped.status, 200);
      assertShape(unwrapped.body, fixture('sys-wrapping-unwrap.response.json'));
      assert.deepEqual(pick(unwrapped.body, 'data'), { zip: 'zap' });
      const again = await call(vault, 'POST', 'sys/wrapping/unwrap', { token: vault.rootToken, body: { token: wrappingToken } });
      assert.equal(again.status, 400);
      assert.deepEqual(again.body, fixture('sys-wrapping-unwrap.error-invalid-token.response.json'));
      const viaBody = await call(vault, 'POST', 'sys/wrapping/wrap', { token: vault.rootToken, body: fixture('sys-wrapping-wrap.request.json'), headers: { 'X-Vault-Wrap-TTL': '60' } });
      const other = vault.createToken({ policies: [] });
      const unwrappedByOther = await call(vault, 'POST', 'sys/wrapping/unwrap', { token: other, body: { token: pick(viaBody.body, 'wrap_info.token') } });
      assert.deepEqual(pick(unwrappedByOther.body, 'data'), { foo: 'bar', zip: 'zap' });
      const noTtl = await call(vault, 'POST', 'sys/wrapping/wrap', { token: vault.rootToken, body: { a: 'b' } });
      assert.deepEqual(noTtl.body, { errors: ['must specify a wrapping TTL'] });
      assert.ok(vault.issuedValues().includes(wrappingToken));
    } finally {
      await vault.close();
    }
  });
});
