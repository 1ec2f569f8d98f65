// The webhook's commands: `serve` (the HTTPS server), `mutate` (one AdmissionReview from stdin
// through the same pipeline the server runs), `tenants` (tenancy tooling).
import { readFile } from 'node:fs/promises';
import { loadSettings, renderSettingsHelp } from './settings.ts';
import type { InjectorSettings } from './settings.ts';
import { handleAdmissionReview } from './admission/review.ts';
import type { AdmissionHooks } from './admission/review.ts';

export interface CommandIO {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const usage = `Usage: webhook <command> [flags]

Commands:
  serve [flags]             run the admission webhook (HTTPS)
  mutate [flags] < review   read an AdmissionReview on stdin, print the response the server would send
  tenants <command> ...     tenancy policy tools (see: webhook tenants --help)

Flags (an AGENT_INJECT_* environment variable wins over its flag when set):
${renderSettingsHelp()}`;

function settingsOrReport(argv: string[], io: CommandIO): InjectorSettings | undefined {
  const loaded = loadSettings(argv, io.env);
  if (loaded.ok) return loaded.settings;
  io.stderr.write(`error VI_SETTINGS_INVALID: invalid settings:\n${loaded.problems.map((entry) => `  - ${entry}\n`).join('')}`);
  return undefined;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function tenancyHooks(settings: InjectorSettings, io: CommandIO): Promise<AdmissionHooks | undefined> {
  if (settings.tenancyPolicyFile === undefined) return {};
  const { loadTenancyPolicy } = await import('./tenancy/policy.ts');
  let text: string;
  try {
    text = await readFile(settings.tenancyPolicyFile, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    io.stderr.write(`error VI_SETTINGS_INVALID: cannot read the tenancy policy file ${settings.tenancyPolicyFile} (${code})\n`);
    return undefined;
  }
  const loaded = loadTenancyPolicy(text, settings.tenancyPolicyFile);
  if (!loaded.ok) {
    io.stderr.write(`error VI_SETTINGS_INVALID: invalid tenancy policy:\n${loaded.problems.map((entry) => `  - ${entry}\n`).join('')}`);
    return undefined;
  }
  return { tenancy: loaded.check };
}

/** `mutate`: exit 0 with the AdmissionReview response on stdout (allowed or denied); 1 when the input is not a review. */
async function runMutate(argv: string[], io: CommandIO): Promise<number> {
  const settings = settingsOrReport(argv, io);
  if (settings === undefined) return 2;
  const hooks = await tenancyHooks(settings, io);
  if (hooks === undefined) return 2;
  const outcome = handleAdmissionReview(await readAll(io.stdin), settings, hooks);
  io.stdout.write(`${JSON.stringify(outcome.body, null, 2)}\n`);
  if (outcome.httpStatus !== 200) {
    io.stderr.write(`error ${outcome.errorCode ?? 'VI_REVIEW_INVALID'}: the input is not an AdmissionReview the webhook can answer\n`);
    return 1;
  }
  return 0;
}

export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'mutate':
      return runMutate(rest, io);
    case 'serve': {
      const settings = settingsOrReport(rest, io);
      if (settings === undefined) return 2;
      const { startServer } = await import('./server/main.ts');
      await startServer(settings);
      return 0; // the server runs until a signal; its handlers end the process
    }
    case 'tenants': {
      const { runTenantsCommand } = await import('./tenancy/cli.ts');
      return runTenantsCommand(rest, io);
    }
    case undefined:
    case 'help':
    case '-h':
    case '--help':
      io.stdout.write(usage);
      return command === undefined ? 2 : 0;
    default:
      io.stderr.write(`error: unknown command ${JSON.stringify(command)}\n\n${usage}`);
      return 2;
  }
}
