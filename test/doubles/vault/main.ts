// Standalone Vault double: `node --import tsx test/doubles/vault/main.ts --seed SEED.json [--port N]`.
// Prints one JSON line when ready, then serves until SIGTERM/SIGINT:
//   {"address":"http://127.0.0.1:PORT","rootToken":"hvs....","jwts":{"NS/NAME":"eyJ..."},"tokens":{"NAME":"hvs...."}}
//
// Seed format (every top-level key optional; unknown keys are errors):
// {
//   "policies":   { "app-read": "path \"secret/data/app/*\" { capabilities = [\"read\"] }" },
//   "kubernetes": [ { "mount": "kubernetes",                      // auth/<mount>, default "kubernetes"
//                     "roles": { "app": { "bound_service_account_names": ["app"],
//                                         "bound_service_account_namespaces": ["team-*"],
//                                         "token_policies": ["app-read"], "token_ttl": 3600, "token_max_ttl": 7200,
//                                         "audience": "...", "alias_name_source": "serviceaccount_uid",
//                                         "token_no_default_policy": false } } } ],
//   "serviceAccounts": [ { "namespace": "team-a", "name": "app", "uid": "optional", "lifetimeSeconds": 3600 } ],
//                                                                // each gets a JWT, printed under "jwts" as "team-a/app"
//   "kv": [ { "mount": "secret", "version": 2,
//             "data": { "app/db": { "user": "app", "port": 5432.0 } } } ],   // numbers keep their text on the wire
//   "database": [ { "mount": "database", "roles": { "app": { "default_ttl": 3600, "max_ttl": 86400 } },
//                   "staticRoles": { "report": { "username": "report", "rotation_period": 86400 } } } ],
//   "pki": [ { "mount": "pki", "roles": { "web": { "ttl": 86400, "max_ttl": 604800, "generate_lease": false, "key_type": "rsa" } } } ],
//   "tokens": [ { "name": "reader", "policies": ["app-read"], "ttl": 3600, "maxTtl": 7200 } ]   // printed under "tokens"
// }
import { readFileSync } from 'node:fs';
import { startVaultDouble } from './index.ts';
import { applySeed, parseSeed } from './seed.ts';

function usage(message: string): never {
  process.stderr.write(`vault double: ${message}\nusage: main.ts --seed SEED.json [--port N]\n`);
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  let seedFile: string | undefined;
  let port = 0;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--seed') seedFile = argv[++i];
    else if (arg === '--port') {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 0 || value > 65535) usage(`--port must be an integer 0-65535, got ${JSON.stringify(argv[i])}`);
      port = value;
    } else usage(`unknown argument ${JSON.stringify(arg)}`);
  }
  let seedText = '{}';
  if (seedFile !== undefined) {
    try {
      seedText = readFileSync(seedFile, 'utf8');
    } catch {
      usage(`cannot read seed file ${JSON.stringify(seedFile)}`);
    }
  }
  const parsed = parseSeed(seedText, seedFile ?? '(empty seed)');
  if (!parsed.ok) usage(`invalid seed:\n  ${parsed.problems.join('\n  ')}`);
  const double = await startVaultDouble({ port });
  let seeded;
  try {
    seeded = applySeed(double, parsed.seed, parsed.kvTexts);
  } catch (error) {
    await double.close();
    usage(`invalid seed: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.stdout.write(`${JSON.stringify({ address: double.address, rootToken: double.rootToken, jwts: seeded.jwts, tokens: seeded.tokens })}\n`);
  const shutdown = (): void => {
    void double.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

await main(process.argv.slice(2));
