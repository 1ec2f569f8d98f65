// Rendered files carry Go's bytes: a template that decodes a binary secret writes those exact bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../agent/src/files/atomic.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const binary = Buffer.from([0x00, 0x01, 0xfe, 0xff, 0x80, 0x41]);

test('render prints the decoded bytes exactly, not their UTF-8 replacement', () => {
  const dir = mkdtempSync(join(tmpdir(), 'binary-render-'));
  try {
    writeFileSync(join(dir, 'keystore.tpl'), `{{ with secret "secret/keystore" }}{{ .Data.jks | base64Decode }}{{ end }}`);
    writeFileSync(join(dir, 'fixtures.json'), JSON.stringify({ 'secret/keystore': { data: { jks: binary.toString('base64') } } }));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'agent/src/cli.ts', 'render', join(dir, 'keystore.tpl'), '--secrets', join(dir, 'fixtures.json')], { cwd: root });
    assert.equal(run.status, 0, run.stderr.toString());
    assert.deepEqual(run.stdout, binary);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('atomic writes take bytes and skip an identical rewrite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'binary-write-'));
  try {
    const destination = join(dir, 'keystore.jks');
    assert.deepEqual(await writeFileAtomic(destination, binary, { mode: 0o600, fallbackMode: 0o644, createDirs: true }), { written: true });
    assert.deepEqual(readFileSync(destination), binary);
    assert.deepEqual(await writeFileAtomic(destination, Buffer.from(binary), { mode: 0o600, fallbackMode: 0o644, createDirs: true }), { written: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
