// Entry point of the webhook (bundled by scripts/bundle.ts): runs the command line and nothing else.
import { runCli } from './commands.ts';

runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() })
  .then((code) => {
    if (code !== 0) process.exitCode = code;
  })
  .catch((error: unknown) => {
    // startServer's errors are written for users (a bad listen address, an unreadable certificate).
    process.stderr.write(`error: ${error instanceof Error ? error.message : 'the webhook command failed'}\n`);
    process.exitCode = 1;
  });
