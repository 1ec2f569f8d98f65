// The parts of `plugin` and `sockaddr` the oracle cannot judge: the 30 s timeout (fixed in
// consul-template, so tried here with a small one), arguments Node cannot pass, and
// go-sockaddr's pure parts (address parsing and classification, sorting) on fixed inputs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runProgram } from '../../agent/src/template/functions/goexec.ts';
import { pluginFunction } from '../../agent/src/template/functions/plugin.ts';
import type { CallContext, GoValue } from '../../agent/src/template/values.ts';

const env = { PATH: '/usr/bin:/bin' };
const noContext = {} as CallContext;
const callPlugin = (run: Parameters<typeof pluginFunction>[0], ...args: string[]): GoValue => pluginFunction(run).call(args, noContext);

describe('plugin', () => {
  it('kills a program that runs past the timeout and says so as consul-template does', () => {
    const started = Date.now();
    const run = runProgram('sleep', ['5'], { env, timeoutMs: 200 });
    assert.deepEqual(run, { kind: 'timed-out' });
    assert.ok(Date.now() - started < 4000, 'the program was killed, not waited for');
    assert.throws(() => callPlugin((name, args) => runProgram(name, args, { env, timeoutMs: 200 }), 'sleep', '5'), { message: 'exec "sleep": did not finish in 30s' });
  });

  it('looks programs up in the given PATH only', () => {
    assert.deepEqual(runProgram('echo', ['x'], { env: {}, timeoutMs: 5000 }), { kind: 'not-started', error: 'exec: "echo": executable file not found in $PATH' });
    assert.deepEqual(runProgram('echo', ['x'], { env, timeoutMs: 5000 }), { kind: 'finished', error: undefined, stdout: 'x\n', stderr: '' });
  });

  it('refuses an argument that is not UTF-8 (Node cannot pass its bytes) instead of changing it', () => {
    let ran = false;
    assert.throws(() => callPlugin(() => { ran = true; return { kind: 'finished', error: undefined, stdout: '', stderr: '' }; }, 'echo', '\udcff'), /not valid UTF-8/);
    assert.equal(ran, false);
  });

  it('fails clearly where no program runner is given (admission parses only)', () => {
    assert.throws(() => callPlugin(undefined, 'echo'), /running programs is not available here/);
  });
});
