// writeToFile's tenancy rule (a template writes inside the secrets volume only, on the lexical
// path and on the real one) and the agent's writer (atomic, mode, append/newline, chown errors).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkWritePath } from '../../agent/src/files/write-rule.ts';
import { createVolumeWriter } from '../../agent/src/files/template-writes.ts';
import type { FileWriteRequest } from '../../agent/src/template/functions/index.ts';

describe('checkWritePath: inside the secrets volume(s) only', () => {
  const volumes = ['/vault/secrets', '/etc/app/'];
  const table: Array<[string, string | RegExp]> = [
    ['/vault/secrets/a.txt', '/vault/secrets/a.txt'],
    ['/vault/secrets/sub/dir/a', '/vault/secrets/sub/dir/a'],
    ['//vault//secrets/./b', '/vault/secrets/b'],
    ['relative.txt', '/vault/secrets/relative.txt'],
    ['./sub/x', '/vault/secrets/sub/x'],
    ['/etc/app/y', '/etc/app/y'],
    ['/vault/secrets/../x', /has a "\.\." segment; a template may only write files inside the secrets volumes \(\/vault\/secrets, \/etc\/app\)/],
    ['../x', /has a "\.\." segment/],
    ['/vault/secrets/a/../../x', /has a "\.\." segment/],
    ['/etc/passwd', /"\/etc\/passwd" is outside the secrets volumes/],
    ['/vault/secrets', /is outside/],
    ['/vault/secrets/', /is outside/],
    ['/vault/secrets2/x', /is outside/],
    ['/vault', /is outside/],
    ['/', /is outside/],
    ['', /the path is empty/],
  ];
  for (const [path, expected] of table) {
    it(JSON.stringify(path), () => {
      const check = checkWritePath(path, volumes);
      if (typeof expected === 'string') assert.deepEqual(check.ok ? check.resolved : check.reason, expected);
      else assert.match(check.ok ? `ok ${check.resolved}` : check.reason, expected);
    });
  }
  it('without a configured volume nothing may be written', () => {
    const check = checkWritePath('/vault/secrets/a', []);
    assert.equal(check.ok, false);
    assert.match(check.ok ? '' : check.reason, /no secrets volume is configured/);
  });
  it('one volume is named in the singular', () => {
    const check = checkWritePath('/x', ['/vault/secrets']);
    assert.equal(check.ok ? '' : check.reason, 'writeToFile: "/x" is outside the secrets volume (/vault/secrets); a template may only write files inside it');
  });
});

describe('the agent\'s writeToFile writer', () => {
  let root: string;
  let volume: string;
  let outside: string;
  let write: (request: FileWriteRequest) => void;
  const request = (path: string, content: string, extra: Partial<FileWriteRequest> = {}): FileWriteRequest =>
    ({ path, username: '', groupName: '', mode: 0o644, content, append: false, newline: false, ...extra });
  const mode = (path: string): number => statSync(path).mode & 0o7777;
  /** No temporary file is ever left behind. */
  const listing = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String).sort();

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'template-writes-'));
    volume = join(root, 'secrets');
    outside = join(root, 'outside');
    mkdirSync(volume);
    mkdirSync(outside);
    writeFileSync(join(root, 'passwd'), 'root:x:0:0::/root:/bin/sh\napp:x:1234:1234::/home/app:/bin/sh\n');
    writeFileSync(join(root, 'group'), 'root:x:0:\napps:x:4321:\n');
    write = createVolumeWriter([volume], { accounts: { passwd: join(root, 'passwd'), group: join(root, 'group') } });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('writes the content with the requested mode, replacing the file', () => {
    write(request(join(volume, 'a.txt'), 'first', { mode: 0o600 }));
    write(request(join(volume, 'a.txt'), 'second', { mode: 0o640 }));
    assert.equal(readFileSync(join(volume, 'a.txt'), 'utf8'), 'second');
    assert.equal(mode(join(volume, 'a.txt')), 0o640);
  });

  it('appends, adds a newline, and creates missing directories (not when appending)', () => {
    write(request('logs/app.log', 'one', { newline: true }));
    write(request('logs/app.log', 'two', { append: true, newline: true }));
    write(request(join(volume, 'fresh-append'), 'x', { append: true }));
    assert.equal(readFileSync(join(volume, 'logs/app.log'), 'utf8'), 'one\ntwo\n');
    assert.equal(readFileSync(join(volume, 'fresh-append'), 'utf8'), 'x');
    assert.throws(() => write(request(join(volume, 'nodir/x'), 'x', { append: true })), { message: `open ${join(volume, 'nodir/x')}: no such file or directory` });
  });

  it('refuses a directory as Go does', () => {
    mkdirSync(join(volume, 'adir'));
    assert.throws(() => write(request(join(volume, 'adir'), 'x')), { message: `open ${join(volume, 'adir')}: is a directory` });
  });

  it('refuses paths outside the volume, and symbolic links that lead out, writing nothing', () => {
    symlinkSync(outside, join(volume, 'escape-dir'));
    symlinkSync(join(outside, 'target'), join(volume, 'escape-file'));
    symlinkSync(join(volume, 'a.txt'), join(volume, 'inside-link'));
    const before = listing(root);
    assert.throws(() => write(request(join(outside, 'x'), 'leak')), /is outside the secrets volume/);
    assert.throws(() => write(request(`${volume}/../outside/x`, 'leak')), /has a "\.\." segment/);
    assert.throws(() => write(request(join(volume, 'escape-dir/x'), 'leak')), new RegExp(`resolves to ${JSON.stringify(join(outside))}, outside the secrets volume`));
    assert.throws(() => write(request(join(volume, 'escape-dir/new/deeper'), 'leak')), /outside the secrets volume/);
    assert.throws(() => write(request(join(volume, 'escape-file'), 'leak')), /outside the secrets volume|no such file or directory/);
    assert.deepEqual(listing(root), before);
    assert.deepEqual(readdirSync(outside), []);
    // a link that stays inside is followed, as os.Create follows it
    write(request(join(volume, 'inside-link'), 'via link'));
    assert.equal(readFileSync(join(volume, 'a.txt'), 'utf8'), 'via link');
  });

  it('looks up user and group names, then numbers; an unknown name is Go\'s error and writes nothing', () => {
    const before = listing(volume);
    assert.throws(() => write(request(join(volume, 'u'), 'x', { username: 'nosuchuser' })), { message: 'user: unknown user nosuchuser' });
    assert.throws(() => write(request(join(volume, 'g'), 'x', { groupName: 'nosuchgroup' })), { message: 'group: unknown group nosuchgroup' });
    assert.deepEqual(listing(volume), before);
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    write(request(join(volume, 'own'), 'x', { username: String(uid), groupName: String(gid) }));
    assert.equal(statSync(join(volume, 'own')).uid, uid);
    if (uid === 0) {
      write(request(join(volume, 'named'), 'x', { username: 'app', groupName: 'apps' }));
      assert.deepEqual([statSync(join(volume, 'named')).uid, statSync(join(volume, 'named')).gid], [1234, 4321]);
    }
  });
});
