// String commands run without a shell when they need none: the agent image has no /bin/sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitCommandWords, runCommand } from '../../agent/src/render/command.ts';

const cases: Array<[string, string[] | undefined]> = [
  ['kill -HUP 1', ['kill', '-HUP', '1']],
  ['  /app/reload   --config /vault/secrets/app.env ', ['/app/reload', '--config', '/vault/secrets/app.env']],
  [`curl -X POST 'http://127.0.0.1:8080/reload?now=1'`, ['curl', '-X', 'POST', 'http://127.0.0.1:8080/reload?now=1']],
  ['echo "a b" c', ['echo', 'a b', 'c']],
  ['echo "say \\"hi\\""', ['echo', 'say "hi"']],
  ['echo ""', ['echo', '']],
  ['pkill -HUP app || true', undefined],
  ['echo $HOME', undefined],
  ['echo "$HOME"', undefined],
  ['cat a > b', undefined],
  ['ls *.pem', undefined],
  ['echo `id`', undefined],
  ['a; b', undefined],
  ['echo \\ x', undefined],
  ["echo 'unterminated", undefined],
  ['', undefined],
];

for (const [command, expected] of cases) {
  test(`words of ${JSON.stringify(command)}`, () => assert.deepEqual(splitCommandWords(command), expected));
}

test('a plain string command runs without a shell', async () => {
  const result = await runCommand({ shell: `${process.execPath} -e "console.log(process.argv.length)" x` }, 10_000, {});
  assert.equal(result.exitCode, 0);
  assert.deepEqual(result.outputHead, ['2']);
});

test('a missing program is named as such', async () => {
  const result = await runCommand({ shell: '/nonexistent/reload now' }, 10_000, {});
  assert.equal(result.startError, 'command not found');
});
