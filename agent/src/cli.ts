// The agent's entry point (and the bundle's): `run [--config FILE]`, `render ...`, `probe [READY_FILE]`.
// No side effects at import other than running main.
import { rawTerminationPath, readConfigSource } from './config/load.ts';
import { resolveSettings, DEFAULT_TERMINATION_MESSAGE_PATH } from './config/settings.ts';
import { describeProxy, readClientEnvironment } from './config/environment.ts';
import { agentError, type AgentError } from './errors.ts';
import { createAgentLogger, resolveLogSettings, SecretRegistry, type Logger } from './logger.ts';
import { runProbe } from './probe.ts';
import { parseRunArguments } from './cli-args.ts';
import { terminationSentence, writeTerminationMessage } from './termination.ts';

const USAGE = 'usage: agent run [--config FILE] | agent render TEMPLATE_FILE [options] | agent probe [READY_FILE]';

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return runCommand(rest, io);
    case 'render': {
      const { runRenderCommand } = await import('./commands/render.ts');
      return runRenderCommand(rest, io);
    }
    case 'probe':
      return runProbe(rest[0]);
    case undefined:
    case '-h':
    case '--help':
      io.stderr.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      io.stderr.write(`unknown command ${JSON.stringify(command)}\n${USAGE}\n`);
      return 2;
  }
}

async function runCommand(args: string[], io: Io): Promise<number> {
  const secrets = new SecretRegistry();
  const write = (line: string) => void io.stdout.write(line);
  const parsed = parseRunArguments(args);
  const early = resolveLogSettings(io.env, undefined);
  const earlyLogger = createAgentLogger({ level: early.level, format: early.format, secrets, write });
  if (!parsed.ok) {
    return fail(agentError('AGENT_USAGE', { detail: `${parsed.problem}; ${USAGE}` }), earlyLogger, DEFAULT_TERMINATION_MESSAGE_PATH, secrets);
  }
  const loaded = await readConfigSource(parsed.configFile, io.env);
  if (!loaded.ok) return fail(loaded.error, earlyLogger, rawTerminationPath(loaded.raw) ?? DEFAULT_TERMINATION_MESSAGE_PATH, secrets);
  const settings = resolveSettings(loaded.config);
  const logSettings = resolveLogSettings(io.env, loaded.config.vault_injector);
  const logger = createAgentLogger({ level: logSettings.level, format: logSettings.format, secrets, write });
  for (const problem of logSettings.problems) logger.warn(problem);
  const client = readClientEnvironment(io.env, settings.vaultAddress);
  if (!client.ok) return fail(agentError('AGENT_ENVIRONMENT_INVALID', { problems: client.problems.join('; ') }), logger, settings.terminationMessagePath, secrets);
  if (client.environment.proxy !== undefined) logger.info({ proxy: describeProxy(client.environment.proxy) }, 'reaching Vault through a proxy');
  else if (settings.vaultAddress.startsWith('http:') && (io.env['HTTPS_PROXY'] ?? io.env['https_proxy'] ?? '') !== '') {
    // As in Vault Agent (Go's ProxyFromEnvironment): HTTPS_PROXY is for https:// addresses only.
    logger.warn({ address: settings.vaultAddress }, 'HTTPS_PROXY (proxy-address) is not used for an http:// Vault address; set HTTP_PROXY for that');
  }

  const controller = new AbortController();
  let signalledAt: number | undefined;
  const onSignal = (signal: string) => {
    signalledAt = Date.now();
    logger.info({ signal }, 'shutdown requested');
    controller.abort();
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));

  const { runAgent } = await import('./run.ts');
  const outcome = await runAgent(settings, { env: io.env, client: client.environment, logger, secrets, now: Date.now, random: Math.random, shutdown: controller.signal });
  if (outcome.failure !== undefined) return fail(outcome.failure, logger, settings.terminationMessagePath, secrets, outcome.exitCode);
  if (signalledAt !== undefined) logger.info({ msSinceSignal: Date.now() - signalledAt }, 'stopped');
  return outcome.exitCode;
}

async function fail(error: AgentError, logger: Logger, terminationPath: string, secrets: SecretRegistry, exitCode = 1): Promise<number> {
  const sentence = terminationSentence(error.message, secrets);
  logger.error({ code: error.code }, error.message);
  const written = await writeTerminationMessage(terminationPath, sentence);
  if (written === 'failed') logger.warn({ path: terminationPath }, 'cannot write the termination message');
  return exitCode === 0 ? 1 : exitCode;
}

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // No exception text reaches a user; VAULT_AGENT_DEBUG=1 shows it to a developer.
    if (process.env['VAULT_AGENT_DEBUG'] === '1') console.error(error);
    process.stderr.write('vault-agent: internal error\n');
    process.exit(70);
  },
);
