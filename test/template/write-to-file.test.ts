// writeToFile's effects on disk, judged by the oracle: the same templates write into a fresh
// directory on each side (the oracle's working directory, our secrets volume), and the two trees
// must hold the same files with the same bytes and modes. Relative paths: the oracle takes them
// from its working directory, we from the volume, so with the one as the other they agree.
// A chown the process may not do fails as in Go (run as nobody when the tests run as root);
// Go has written the file by then, we have not (the write is atomic), so only the error is compared.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { oracleInput, oraclePath, type OracleResult } from '../oracle/oracle.ts';
import { executeTemplate, parseTemplate, TemplateError } from '../../agent/src/template/index.ts';
import { templateFunctions } from '../../agent/src/template/functions/index.ts';
import { createVolumeWriter } from '../../agent/src/files/template-writes.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const ROOT = '@ROOT@';

/** Templates with @ROOT@ where the directory goes. */
const templates: Array<[string, string]> = [
  ['plain', '{{ "hello" | writeToFile "@ROOT@/a.txt" "" "" "0644" }}'],
  ['modes', '{{ "x" | writeToFile "@ROOT@/m600" "" "" "0600" }}{{ "x" | writeToFile "@ROOT@/m640" "" "" "640" }}{{ "x" | writeToFile "@ROOT@/m4755" "" "" "4755" }}{{ "x" | writeToFile "@ROOT@/m0" "" "" "0" }}'],
  ['replace', '{{ "first, longer" | writeToFile "@ROOT@/r" "" "" "0644" }}{{ "second" | writeToFile "@ROOT@/r" "" "" "0600" }}'],
  ['newline', '{{ "line" | writeToFile "@ROOT@/n" "" "" "0644" "newline" }}'],
  ['append', '{{ "1" | writeToFile "@ROOT@/log" "" "" "0600" "append,newline" }}{{ "2" | writeToFile "@ROOT@/log" "" "" "0644" "append" }}{{ "3" | writeToFile "@ROOT@/log" "" "" "0640" "newline append" }}'],
  ['append-creates', '{{ "new" | writeToFile "@ROOT@/fresh" "" "" "0644" "append" }}'],
  ['extra-args', '{{ writeToFile "@ROOT@/extra" "" "" "0644" "append" "ignored" "content" }}{{ writeToFile "@ROOT@/two" "" "" "0644" "unknown-flag" "content" }}'],
  ['mkdir', '{{ "deep" | writeToFile "@ROOT@/d1/d2/f" "" "" "0600" }}'],
  ['unicode', '{{ "é日本\\x00\\xff" | writeToFile "@ROOT@/bytes" "" "" "0644" }}'],
  ['own-ids', `{{ "x" | writeToFile "@ROOT@/own" "${process.getuid?.() ?? 0}" "${process.getgid?.() ?? 0}" "0644" }}`],
  ['relative', '{{ "rel" | writeToFile "rel/r.txt" "" "" "0644" }}{{ "top" | writeToFile "top.txt" "" "" "0600" }}'],
  ['error-after-write', '{{ "kept" | writeToFile "@ROOT@/kept" "" "" "0644" }}{{ "x" | writeToFile "@ROOT@/nodir/x" "" "" "0644" "append" }}'],
];

interface Side { results: Array<{ ok: boolean; output: string; error?: string | undefined }>; files: Record<string, { bytes: string; mode: number }> }

function tree(dir: string): Side['files'] {
  const files: Side['files'] = {};
  for (const entry of readdirSync(dir, { recursive: true }).map(String).sort()) {
    const path = join(dir, entry);
    const info = statSync(path);
    files[entry] = { bytes: info.isDirectory() ? '<dir>' : readFileSync(path).toString('hex'), mode: info.mode & 0o7777 };
  }
  return files;
}

function oracleSide(dir: string): Side {
  const cases = templates.map(([name, template]) => ({ name, template: template.replaceAll(ROOT, dir) }));
  const results = JSON.parse(execFileSync(oraclePath(), [], { cwd: dir, input: oracleInput(cases), encoding: 'utf8' })) as OracleResult[];
  return { results: results.map((r) => (r.ok ? { ok: true, output: r.output ?? '' } : { ok: false, output: r.output ?? '', error: r.error?.replaceAll(dir, ROOT) })), files: tree(dir) };
}

function ourSide(dir: string): Side {
  const functions = templateFunctions({
    secrets: { read: () => undefined, write: () => undefined, list: () => undefined },
    env: () => undefined, readFile: () => '', now: () => new Date(0),
    writeFile: createVolumeWriter([dir]),
  });
  const results = templates.map(([name, template]) => {
    try {
      return { ok: true, output: executeTemplate(parseTemplate(template.replaceAll(ROOT, dir), functions, { name }), undefined, { missingKey: 'default' }) };
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      return { ok: false, output: error.partialOutput, error: error.message.replaceAll(dir, ROOT) };
    }
  });
  return { results, files: tree(dir) };
}

describe('writeToFile on disk, against the oracle', () => {
  it('the same files, bytes and modes; the same results', () => {
    const goDir = mkdtempSync(join(tmpdir(), 'wtf-go-'));
    const ourDir = mkdtempSync(join(tmpdir(), 'wtf-us-')); // as long as the oracle's: columns in errors count it
    try {
      const go = oracleSide(goDir);
      const ours = ourSide(ourDir);
      templates.forEach(([name], i) => assert.deepEqual(ours.results[i], go.results[i], name));
      assert.deepEqual(ours.files, go.files);
      assert.ok(Object.keys(go.files).length >= 15, `the templates wrote files: ${Object.keys(go.files).join(' ')}`);
    } finally {
      rmSync(goDir, { recursive: true, force: true });
      rmSync(ourDir, { recursive: true, force: true });
    }
  });

  it('a chown the process may not do fails with Go\'s error', () => {
    const asRoot = process.getuid?.() === 0;
    const unprivileged = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    const dir = mkdtempSync(join(tmpdir(), 'wtf-chown-'));
    // nobody may not be able to read the checkout (a clone inside a 0700 directory): what it
    // runs (the oracle, Node, our writer bundled into one file) is copied where it can
    const tools = mkdtempSync(join(tmpdir(), 'wtf-tools-'));
    chmodSync(tools, 0o755);
    try {
      if (asRoot) chownSync(dir, 65534, 65534);
      const target = (name: string): string => join(dir, name);
      const cases = [
        { name: 'to-root', template: `{{ "x" | writeToFile "${target('a')}" "root" "" "0644" }}` },
        { name: 'to-gid-0', template: `{{ "x" | writeToFile "${target('b')}" "" "0" "0644" }}` },
      ];
      const copied = (path: string): string => {
        const copy = join(tools, basename(path));
        copyFileSync(path, copy);
        return copy;
      };
      const writer = join(tools, 'writer.mjs');
      buildSync({ entryPoints: [join(repoRoot, 'agent/src/files/template-writes.ts')], bundle: true, platform: 'node', format: 'esm', outfile: writer, logLevel: 'silent' });
      const run = (argv: string[], input?: string): string => {
        const [command, ...args] = [...unprivileged, ...argv];
        return execFileSync(command!, args, { cwd: tools, encoding: 'utf8', ...(input !== undefined ? { input } : {}) });
      };
      const go = JSON.parse(run([copied(oraclePath())], oracleInput(cases))) as OracleResult[];
      const script = `import(${JSON.stringify(writer)}).then((m) => {
        const write = m.createVolumeWriter([${JSON.stringify(dir)}]);
        for (const [path, username, groupName] of [[${JSON.stringify(target('c'))}, 'root', ''], [${JSON.stringify(target('d'))}, '', '0']]) {
          try { write({ path, username, groupName, mode: 0o644, content: 'x', append: false, newline: false }); console.log('ok'); } catch (e) { console.log(e.message); }
        }
      })`;
      const ours = run([copied(process.execPath), '--input-type=module', '-e', script]).trim().split('\n');
      assert.match(go[0]!.error ?? '', new RegExp(`error calling writeToFile: chown ${target('a')}: operation not permitted$`));
      assert.match(go[1]!.error ?? '', new RegExp(`error calling writeToFile: chown ${target('b')}: operation not permitted$`));
      assert.deepEqual(ours, [`chown ${target('c')}: operation not permitted`, `chown ${target('d')}: operation not permitted`]);
      assert.deepEqual(readdirSync(dir).filter((name) => name === 'c' || name === 'd' || name.endsWith('.tmp')), [], 'we leave nothing behind');
      assert.deepEqual(readdirSync(dir).filter((name) => name === 'a' || name === 'b').sort(), ['a', 'b'], 'Go wrote before it chowned');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(tools, { recursive: true, force: true });
    }
  });
});
