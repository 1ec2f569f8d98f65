// The `run` command's arguments (pure; cli.ts runs main on import, so this lives apart).

export function parseRunArguments(args: string[]): { ok: true; configFile: string | undefined } | { ok: false; problem: string } {
  let configFile: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (arg === '--config' || arg === '-config') {
      const value = args[index + 1];
      if (value === undefined || value === '') return { ok: false, problem: `${arg} needs a file name` };
      configFile = value;
      index++;
    } else if (arg.startsWith('--config=') || arg.startsWith('-config=')) {
      configFile = arg.slice(arg.indexOf('=') + 1);
    } else {
      return { ok: false, problem: `unexpected argument ${JSON.stringify(arg)}` };
    }
  }
  return { ok: true, configFile };
}
