// `render TEMPLATE_FILE [--secrets FIXTURES.json] [--data DATA.json] [--left-delimiter S
//  --right-delimiter S] [--error-on-missing-key]`: renders one template to stdout exactly as the
// agent would (consul-template's functions, missingkey=zero unless --error-on-missing-key), with
// nothing added. FIXTURES.json maps a Vault path (as the template writes it) to the Vault HTTP
// response body for it; a path with no fixture renders as consul-template's first pass does
// (nothing), and a warning naming it goes to stderr (exit status stays 0: the output is what the
// template makes of the missing secret). Without --secrets, secrets are read from the Vault named
// by VAULT_ADDR with VAULT_TOKEN, as the agent reads them (KV v2 paths rewritten).
// DATA.json is the dot (its numbers are float64); without it the dot is nil, as in the agent.
// A parse or execution error prints Go's message (`template: NAME:LINE:COL: reason`) on stderr
// and exits 1; bad usage exits 2.
import { readClientEnvironment } from '../config/environment.ts';
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileErrorReason } from '../config/load.ts';
import { agentError, describeVaultErrors, isAgentError } from '../errors.ts';
import type { AgentError } from '../errors.ts';
import { createAgentLogger, SecretRegistry } from '../logger.ts';
import { discoverAll } from '../secrets/discovery.ts';
import { describeRequest } from '../secrets/paths.ts';
import type { SecretRequest } from '../secrets/paths.ts';
import { SecretStore } from '../secrets/store.ts';
import type { FetchFailure } from '../secrets/store.ts';
import { createVaultClient } from '../vault/client.ts';
import { decodeGoBytes, encodeGoString, executeTemplate, goValueFromJson, parseTemplate, TemplateError } from '../template/index.ts';
import type { GoValue, Template } from '../template/index.ts';
import { hostNetwork, normaliseSecretPath, PLUGIN_TIMEOUT_MS, runProgram, templateFunctions } from '../template/functions/index.ts';
import type { SecretSource } from '../template/functions/index.ts';
import { JsonError, unmarshalJson } from '../template/functions/json.ts';
import { rawObjectMembers } from '../template/functions/rawjson.ts';

export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const USAGE = 'usage: render TEMPLATE_FILE [--secrets FIXTURES.json] [--data DATA.json] [--left-delimiter S --right-delimiter S] [--error-on-missing-key]';

interface RenderOptions {
  templateFile: string;
  secretsFile: string | undefined;
  dataFile: string | undefined;
  leftDelimiter: string | undefined;
  rightDelimiter: string | undefined;
  errorOnMissingKey: boolean;
}

function parseRenderArguments(argv: string[]): { ok: true; options: RenderOptions } | { ok: false; problem: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        secrets: { type: 'string' },
        data: { type: 'string' },
        'left-delimiter': { type: 'string' },
        'right-delimiter': { type: 'string' },
        'error-on-missing-key': { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    // parseArgs's messages name the flag (e.g. "Unknown option '--x'"); keep them, without a stack
    const message = error instanceof Error ? /^[^.]*\.?/.exec(error.message)?.[0] ?? 'invalid arguments' : 'invalid arguments';
    return { ok: false, problem: message };
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    return { ok: false, problem: positionals.length === 0 ? 'render needs a TEMPLATE_FILE' : `render takes one TEMPLATE_FILE, got ${positionals.length}: ${positionals.map((p) => JSON.stringify(p)).join(' ')}` };
  }
  return {
    ok: true,
    options: {
      templateFile: positionals[0]!,
      secretsFile: values.secrets,
      dataFile: values.data,
      leftDelimiter: values['left-delimiter'],
      rightDelimiter: values['right-delimiter'],
      errorOnMissingKey: values['error-on-missing-key'] === true,
    },
  };
}

function readText(io: CommandIO, file: string, field: string): string {
  try {
    return readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    throw agentError('AGENT_CONFIG_FILE', { field, file, reason: fileErrorReason(error) });
  }
}

function jsonProblem(error: unknown): string {
  return error instanceof JsonError || error instanceof Error ? error.message : 'invalid JSON';
}

/** FIXTURES.json: { "<vault path>": <Vault response body>, ... }, bodies kept as raw text. */
function loadFixtures(io: CommandIO, file: string): Map<string, string> {
  const text = readText(io, file, '--secrets');
  let members: Map<string, string>;
  try {
    members = rawObjectMembers(text);
  } catch (error) {
    throw agentError('AGENT_CONFIG_FILE', { field: '--secrets', file, reason: `not a JSON object of Vault path → response body: ${jsonProblem(error)}` });
  }
  const fixtures = new Map<string, string>();
  for (const [path, body] of members) {
    if (!body.startsWith('{')) {
      throw agentError('AGENT_CONFIG_FILE', { field: '--secrets', file, reason: `the fixture for ${JSON.stringify(path)} is not a Vault response body (a JSON object such as {"data": {...}})` });
    }
    fixtures.set(normaliseSecretPath(path), body);
  }
  return fixtures;
}

function loadData(io: CommandIO, file: string): GoValue {
  const text = readText(io, file, '--data');
  try {
    unmarshalJson(text);
  } catch (error) {
    throw agentError('AGENT_CONFIG_FILE', { field: '--data', file, reason: `not JSON: ${jsonProblem(error)}` });
  }
  const value = goValueFromJson(text, 'float64');
  return value === null ? undefined : value;
}

interface Rendering {
  template: Template;
  dot: GoValue;
  missingKey: 'zero' | 'error';
}

function execute(rendering: Rendering): string {
  return executeTemplate(rendering.template, rendering.dot, { missingKey: rendering.missingKey, maxOutputBytes: 64 * 1024 * 1024 });
}

export async function runRenderCommand(argv: string[], io: CommandIO): Promise<number> {
  const parsed = parseRenderArguments(argv);
  if (!parsed.ok) {
    io.stderr.write(`render: ${parsed.problem}\n${USAGE}\n`);
    return 2;
  }
  const options = parsed.options;
  try {
    const text = readTemplate(io, options.templateFile);
    const dot = options.dataFile === undefined ? undefined : loadData(io, options.dataFile);
    const fixtures = options.secretsFile === undefined ? undefined : loadFixtures(io, options.secretsFile);
    if (fixtures === undefined && (io.env['VAULT_ADDR'] ?? '') === '') {
      io.stderr.write(`render: give --secrets FIXTURES.json, or set VAULT_ADDR (and VAULT_TOKEN) to read secrets from Vault\n${USAGE}\n`);
      return 2;
    }
    const calls: SecretRequest[] = [];
    const fixtureSource: SecretSource = {
      read: (path) => note(calls, { kind: 'read', path }, fixtures?.get(path)),
      write: (path, data) => note(calls, { kind: 'write', path, data }, fixtures?.get(path)),
      list: (path) => note(calls, { kind: 'list', path }, fixtures?.get(path)),
    };
    let lookup: ((request: SecretRequest) => string | undefined) | undefined;
    const vaultSource: SecretSource = {
      read: (path) => note(calls, { kind: 'read', path }, lookup?.({ kind: 'read', path })),
      write: (path, data) => note(calls, { kind: 'write', path, data: { ...data } }, lookup?.({ kind: 'write', path, data: { ...data } })),
      list: (path) => note(calls, { kind: 'list', path }, lookup?.({ kind: 'list', path })),
    };
    const functions = templateFunctions({
      secrets: fixtures === undefined ? vaultSource : fixtureSource,
      env: (name) => io.env[name],
      readFile: (path) => {
        try {
          return decodeGoBytes(readFileSync(resolve(io.cwd, path))); // Go's bytes, binary files too
        } catch (error) {
          throw new Error(`file: cannot read ${JSON.stringify(path)}: ${fileErrorReason(error)}`);
        }
      },
      now: () => new Date(),
      runProgram: (name, args) => runProgram(name, args, { env: io.env, timeoutMs: PLUGIN_TIMEOUT_MS }),
      network: () => hostNetwork(io.env),
    });
    const name = basename(options.templateFile);
    let template: Template;
    try {
      template = parseTemplate(text, functions, {
        name,
        ...(options.leftDelimiter !== undefined ? { leftDelim: options.leftDelimiter } : {}),
        ...(options.rightDelimiter !== undefined ? { rightDelim: options.rightDelimiter } : {}),
      });
    } catch (error) {
      return templateFailure(io, error);
    }
    const rendering: Rendering = { template, dot, missingKey: options.errorOnMissingKey ? 'error' : 'zero' };
    let output: string;
    if (fixtures !== undefined) {
      try {
        output = execute(rendering);
      } catch (error) {
        return templateFailure(io, error);
      }
      const missing = unique(calls.filter((request) => !fixtures.has(request.path)));
      for (const request of missing) {
        io.stderr.write(`render: warning: no fixture for secret ${JSON.stringify(describeRequest(request))} in ${options.secretsFile}: it rendered as not yet available (consul-template's first pass)\n`);
      }
    } else {
      const result = await renderFromVault(io, rendering, calls, (l) => { lookup = l; });
      if (typeof result === 'number') return result;
      output = result;
    }
    io.stdout.write(encodeGoString(output));
    return 0;
  } catch (error) {
    if (isAgentError(error)) {
      io.stderr.write(`render: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function readTemplate(io: CommandIO, file: string): string {
  try {
    return readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    throw agentError('AGENT_TEMPLATE_SOURCE', { template: basename(file), source: file, reason: fileErrorReason(error) });
  }
}

function note(calls: SecretRequest[], request: SecretRequest, body: string | undefined): string | undefined {
  calls.push(request);
  return body;
}

function unique(requests: SecretRequest[]): SecretRequest[] {
  const seen = new Map<string, SecretRequest>();
  for (const request of requests) seen.set(describeRequest(request), request);
  return [...seen.values()];
}

function templateFailure(io: CommandIO, error: unknown): number {
  if (error instanceof TemplateError) {
    io.stderr.write(`${error.message}\n`);
    return 1;
  }
  throw error;
}

/** Reads what the template asks for from Vault (VAULT_ADDR, VAULT_TOKEN), pass after pass, as the
 *  agent does; returns the output or an exit status after printing why. */
async function renderFromVault(
  io: CommandIO,
  rendering: Rendering,
  calls: SecretRequest[],
  bindLookup: (lookup: (request: SecretRequest) => string | undefined) => void,
): Promise<string | number> {
  const address = io.env['VAULT_ADDR'] ?? '';
  const token = io.env['VAULT_TOKEN'] ?? '';
  if (token === '') {
    io.stderr.write('render: VAULT_TOKEN is not set: reading secrets from Vault needs a token (or give --secrets FIXTURES.json)\n');
    return 2;
  }
  const environment = readClientEnvironment(io.env, address);
  if (!environment.ok) {
    io.stderr.write(`render: ${environment.problems.join('; ')}\n`);
    return 2;
  }
  const registry = new SecretRegistry();
  registry.add(token);
  const logger = createAgentLogger({ level: 'warn', format: 'standard', secrets: registry, write: (line) => void io.stderr.write(line) });
  const client = createVaultClient({
    address,
    namespace: io.env['VAULT_NAMESPACE'] === '' ? undefined : io.env['VAULT_NAMESPACE'],
    tls: {
      caCertFile: io.env['VAULT_CACERT'] || undefined,
      caPath: io.env['VAULT_CAPATH'] || undefined,
      clientCertFile: io.env['VAULT_CLIENT_CERT'] || undefined,
      clientKeyFile: io.env['VAULT_CLIENT_KEY'] || undefined,
      serverName: io.env['VAULT_TLS_SERVER_NAME'] || undefined,
      skipVerify: /^(1|t|true)$/i.test(io.env['VAULT_SKIP_VERIFY'] ?? ''),
    },
    caCertificates: environment.environment.caCertificates,
    timeoutMs: environment.environment.timeoutMs,
    maxRetries: environment.environment.maxRetries,
    ...(environment.environment.proxy !== undefined ? { proxy: environment.environment.proxy } : {}),
  });
  client.setToken(token);
  const store = new SecretStore({
    client, logger, secrets: registry, now: () => Date.now(), random: Math.random,
    staticIntervalMs: 300_000, leaseRenewalThreshold: 0.9, minBackoffMs: 1000, maxBackoffMs: 1000,
    onChange: () => undefined, onTokenRejected: () => undefined,
  });
  bindLookup((request) => store.lookup(request));
  try {
    let lastError: unknown;
    const outcomes = await discoverAll<FetchFailure>([{
      id: 0,
      execute: () => {
        calls.length = 0;
        const missing: SecretRequest[] = [];
        let output: string | undefined;
        lastError = undefined;
        try {
          output = execute(rendering);
        } catch (error) {
          lastError = error;
        }
        for (const request of calls) if (store.lookup(request) === undefined) missing.push(request);
        return { ...(output !== undefined ? { output } : {}), ...(lastError !== undefined ? { error: lastError } : {}), missing, used: [...calls] };
      },
    }], (requests) => store.fetchAll(requests));
    const outcome = outcomes.get(0);
    if (outcome === undefined) return 1;
    if (outcome.status === 'complete') return outcome.output;
    if (outcome.status === 'error') return templateFailure(io, outcome.error);
    const failure = [...outcome.failures.values()][0];
    io.stderr.write(`render: ${describeFailure(failure, outcome.missing, address).message}\n`);
    return 1;
  } finally {
    store.stop();
    client.close();
  }
}

function describeFailure(failure: FetchFailure | undefined, missing: SecretRequest[], address: string): AgentError {
  const template = 'render';
  if (failure === undefined) {
    const paths = missing.map((request) => `"${describeRequest(request)}"`).join(', ');
    return agentError('AGENT_TEMPLATE_INCOMPLETE', { template, paths: paths === '' ? 'its secrets' : paths });
  }
  const path = describeRequest(failure.request);
  const vaultError = describeVaultErrors(failure.vaultErrors);
  switch (failure.kind) {
    case 'unreachable': return agentError('AGENT_VAULT_UNREACHABLE', { address, reason: failure.networkReason ?? 'no answer' });
    case 'forbidden': return agentError('AGENT_SECRET_FORBIDDEN', { address, template, path, role: 'VAULT_TOKEN', vaultError });
    case 'missing': return agentError('AGENT_SECRET_MISSING', { address, template, path });
    case 'token': return agentError('AGENT_TOKEN_INVALID', { address, vaultError });
    default: return agentError('AGENT_SECRET_FAILED', { address, template, path, status: failure.status, vaultError });
  }
}
