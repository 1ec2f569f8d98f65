// The agent image's entry (`node /agent.js ...`): runs the agent program, agent-main.js beside this
// file, from a V8 code cache made when the image was built.
//
// Every pod start used to compile the ~500 KB program again, and V8 compiles each function lazily,
// the first time it runs, so nearly every function of a start was compiled during that start. A
// cache taken after a start (vm.Script#createCachedData) holds those functions too; Node's own
// NODE_COMPILE_CACHE holds only what is compiled up front. Measured on the agent's init benchmark
// (test/bench/agent.ts): 41 ms less per start with this cache (272 → 231 ms), 24 ms with Node's.
//
// No cache, another program's cache (code-cache.ts) or one V8 rejects: the program compiles as
// before, only slower.
//
// `VAULT_AGENT_WRITE_CODE_CACHE=FILE node agent.js` makes the cache (Dockerfile.agent does, with
// the image's own node): the program runs an init-mode warm-up against a Vault that is not there
// (it parses its config and templates, builds its logger and Vault client, tries to log in and
// gives up at once), and when it exits its compiled code is written to FILE.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Script } from 'node:vm';
import { codeCacheFile, programDigest, readCodeCache } from './code-cache.ts';

const PROGRAM_FILE = 'agent-main.js';

/** Templates as users write them for vault-k8s, so that parsing them compiles the parser's paths. */
const WARM_UP_TEMPLATES = [
  '{{ with secret "secret/data/app/config" }}{{ .Data.data.password }}{{ end }}',
  '{{- with secret "database/creds/app" -}}\npostgresql://{{ .Data.username }}:{{ .Data.password }}@db:5432/app\n{{- end }}\n',
  '{{ with secret "secret/data/app/env" }}{{ range $key, $value := .Data.data }}export {{ $key }}="{{ $value }}"\n{{ end }}{{ end }}',
  '{{ with secret "secret/data/app/config" }}{{ .Data.data | toJSON }}{{ end }}',
  '{{ with pkiCert "pki/issue/app" "common_name=app.example.com" }}{{ .Cert }}{{ .Key }}{{ .CA }}{{ end }}',
  '{{ with secret "kv/app" }}{{ if .Data.enabled }}{{ printf "%s:%d" .Data.host .Data.port }}{{ else }}{{ .Data.fallback | base64Decode }}{{ end }}{{ end }}',
];

/** A warm-up config in a fresh directory; Vault's address is one where nothing listens. */
function writeWarmUpConfig(): { configFile: string; directory: string } {
  const directory = mkdtempSync(join(tmpdir(), 'vault-agent-warm-up-'));
  const tokenFile = join(directory, 'token');
  writeFileSync(tokenFile, 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ3YXJtLXVwIn0.c2lnbmF0dXJl');
  const config = {
    auto_auth: { method: { type: 'kubernetes', mount_path: 'auth/kubernetes', config: { role: 'warm-up', token_path: tokenFile } } },
    exit_after_auth: true,
    vault: { address: 'http://127.0.0.1:1' },
    template: WARM_UP_TEMPLATES.map((contents, index) => ({ destination: join(directory, 'out', `secret-${index}`), contents })),
    vault_injector: { retry_timeout: '0s', termination_message_path: join(directory, 'termination-log'), log_level: 'error' },
  };
  const configFile = join(directory, 'config.json');
  writeFileSync(configFile, JSON.stringify(config));
  return { configFile, directory };
}

/** Compiles the program (from its cache when there is a good one) and runs it as a CommonJS module. */
function start(): void {
  // The program lies beside this loader (process.argv[1]: /agent.js in the image).
  const programPath = join(dirname(resolve(process.argv[1] ?? '.')), PROGRAM_FILE);
  const source = readFileSync(programPath, 'utf8');
  const digest = programDigest(source);
  const writeTo = process.env['VAULT_AGENT_WRITE_CODE_CACHE'];
  const cachedData = writeTo === undefined ? readCodeCache(`${programPath}.cache`, digest) : undefined;
  const script = new Script(Module.wrap(source), { filename: programPath, ...(cachedData !== undefined ? { cachedData } : {}) });

  // For a developer (as the program's own VAULT_AGENT_DEBUG): whether this start used the cache.
  if (process.env['VAULT_AGENT_DEBUG'] === '1') {
    process.stderr.write(`code cache: ${cachedData === undefined ? 'none for this program' : script.cachedDataRejected === true ? 'rejected by V8' : 'used'}\n`);
  }

  if (writeTo !== undefined) {
    const warmUp = writeWarmUpConfig();
    process.argv.splice(2, process.argv.length - 2, 'run', '--config', warmUp.configFile);
    // The warm-up run fails by design (there is no Vault); what matters is the code it compiled on
    // the way. Exit 0 once the cache is written, so that an image build can rely on the status.
    process.on('exit', (code) => {
      rmSync(warmUp.directory, { recursive: true, force: true });
      writeFileSync(writeTo, codeCacheFile(digest, script.createCachedData()));
      process.stderr.write(`code cache written to ${writeTo} (the warm-up run exited ${code})\n`);
      process.exitCode = 0;
    });
  }

  const program = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  const programModule = { exports: {}, filename: programPath, id: programPath, loaded: false };
  program.call(programModule.exports, programModule.exports, createRequire(programPath), programModule, programPath, dirname(programPath));
}

// A function, so that the cache's bytes are garbage once compiled: the sidecar lives for days.
start();
