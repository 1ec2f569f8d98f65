// The chart's vault.caCertBytes and vault.proxyAddress (issue 16): a PEM file (helm --set-file, or
// a values file) or its base64 reaches the webhook as AGENT_INJECT_VAULT_CACERT_BYTES, which the
// webhook accepts and hands on; the schema refuses text that is neither.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { findObject, helm, parseManifests, templateArgs, type KubeObject } from './helm.ts';
import { loadSettings } from '../../src/settings.ts';
import { generateCa } from '../../src/tls/generate.ts';

function webhookEnv(objects: KubeObject[]): Record<string, string> {
  const deployment = findObject(objects, 'Deployment') as KubeObject & { spec: { template: { spec: { containers: Array<{ name: string; env: Array<{ name: string; value?: string }> }> } } } };
  const container = deployment.spec.template.spec.containers.find((entry) => entry.name === 'webhook');
  assert.ok(container);
  return Object.fromEntries(container.env.filter((entry) => entry.value !== undefined).map((entry) => [entry.name, entry.value ?? '']));
}

test('vault.caCertBytes (PEM file or base64) and vault.proxyAddress reach the webhook, which accepts them', async () => {
  const ca = await generateCa({ nowMs: Date.now() });
  const dir = mkdtempSync(join(tmpdir(), 'vi-chart-ca-'));
  try {
    const pemFile = join(dir, 'ca.pem');
    writeFileSync(pemFile, ca.certPem);
    const valuesFile = join(dir, 'values.yaml');
    writeFileSync(valuesFile, stringify({ vault: { caCertBytes: ca.certPem, proxyAddress: 'http://proxy.corp:3128' } }));
    const renders: Array<[string, string[]]> = [
      ['--set-file', [...templateArgs(), '--set-file', `vault.caCertBytes=${pemFile}`, '--set', 'vault.proxyAddress=http://proxy.corp:3128']],
      ['values file', [...templateArgs(), '-f', valuesFile]],
      ['base64', [...templateArgs(), '--set-string', `vault.caCertBytes=${Buffer.from(ca.certPem).toString('base64')}`, '--set', 'vault.proxyAddress=http://proxy.corp:3128']],
    ];
    for (const [name, args] of renders) {
      const result = helm(args);
      assert.equal(result.status, 0, `${name}: ${result.stderr}`);
      const env = webhookEnv(parseManifests(result.stdout));
      assert.equal(env['AGENT_INJECT_PROXY_ADDR'], 'http://proxy.corp:3128', name);
      const loaded = loadSettings([], env);
      assert.ok(loaded.ok, loaded.ok ? '' : loaded.problems.join('; '));
      assert.equal(loaded.settings.vaultCaCertBytes, `${ca.certPem.trim()}\n`, name);
      assert.equal(loaded.settings.proxyAddress, 'http://proxy.corp:3128', name);
    }
    const plain = webhookEnv(parseManifests(helm(templateArgs()).stdout));
    assert.equal('AGENT_INJECT_VAULT_CACERT_BYTES' in plain || 'AGENT_INJECT_PROXY_ADDR' in plain, false, 'unset by default');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the schema refuses a CA value that is neither PEM nor base64, and a proxy with a path', () => {
  for (const [set, where] of [['vault.caCertBytes=not a certificate!', 'caCertBytes'], ['vault.proxyAddress=http://proxy:3128/path', 'proxyAddress']] as const) {
    const result = helm([...templateArgs(), '--set-string', set]);
    assert.notEqual(result.status, 0, set);
    assert.match(result.stderr, new RegExp(`at '/vault/${where}'`));
  }
});
