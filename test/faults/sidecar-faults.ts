// One real agent sidecar (child process, A's harness) against the Vault double, taken through a
// sequence of faults: Vault slow, answering 500 then 503 for a while, stopped and restarted, a
// dynamic lease revoked, the service-account JWT file rotated (old JWT revoked, Vault token
// revoked), with a KV value rotated under each. After each fault the sidecar must render the new
// value (it recovered), while a reader polls every file the whole time and must only ever see a
// complete old or new version (never empty, never partial). Then: files carry their modes,
// nothing was written outside the secrets directory, and nothing the double issued was logged.
import assert from 'node:assert/strict';
import { lstat, mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { agentConfig, eventually, message, sleep, startAgent, startLab, type AgentProcess, type Lab } from '../agent/harness.ts';
import { assertNoLeaks } from '../leaks/scan.ts';

export interface FaultOptions {
  /** How many times the whole sequence of faults is repeated. */
  rounds: number;
  /** Latency of the slow phase (ms). */
  slowMs: number;
  /** How long Vault stays down (ms). */
  downMs: number;
}

export interface FaultReport {
  phases: Array<{ phase: string; recoveredMs: number }>;
  reads: number;
  versionsSeen: Record<string, number>;
}

/** The files and what a complete version of each looks like. */
const FILES = {
  'config.env': { perms: 0o640, complete: /^GREETING=v\d+-[0-9a-f]{8}\nCOLOR=blue\nEND=1\n$/ },
  'db.txt': { perms: 0o600, complete: /^user=\S+\npass=\S+\nlease=database\/creds\/app\/\S+\n$/ },
  'config.json': { perms: 0o644, complete: /^\{"greeting":"v\d+-[0-9a-f]{8}","padding":"x{4000}"\}\n$/ },
} as const;
type FileName = keyof typeof FILES;

async function snapshot(dir: string): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      const info = await lstat(path);
      entries.set(relative(dir, path), entry.isDirectory() ? 'dir' : `${info.size}:${info.mtimeMs}`);
      if (entry.isDirectory()) await walk(path);
    }
  };
  await walk(dir);
  return entries;
}

export async function runSidecarFaults(options: FaultOptions): Promise<FaultReport> {
  const lab: Lab = await startLab({ tokenTtl: 60, tokenMaxTtl: 600 });
  let agent: AgentProcess | undefined;
  let reading = false;
  let reader: Promise<void> | undefined;
  const report: FaultReport = { phases: [], reads: 0, versionsSeen: {} };
  try {
    const { vault } = lab;
    vault.writeDatabaseRole('database', 'app', { default_ttl: 3, max_ttl: 600 });
    let version = 1;
    const rotate = (): string => {
      version += 1;
      const value = `v${version}-${Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0')}`;
      vault.putKv('secret', 'app/config', { greeting: value, color: 'blue' });
      return value;
    };
    vault.putKv('secret', 'app/config', { greeting: 'v1-00000001', color: 'blue' });

    const secrets = join(lab.dir, 'secrets');
    const home = join(lab.dir, 'home');
    const tmp = join(lab.dir, 'tmp');
    const termination = join(lab.dir, 'termination');
    for (const dir of [home, tmp, termination]) await mkdir(dir, { recursive: true });
    const config = agentConfig(lab, {
      mode: 'sidecar',
      templateConfig: { static_secret_render_interval: '1s', exit_on_retry_failure: false },
      extension: { ready_file: join(secrets, '.ready'), termination_message_path: join(termination, 'termination-log'), retry_timeout: '60s' },
      sinks: [{ path: join(secrets, '.vault-token'), mode: 0o640 }],
      templates: [
        { destination: join(secrets, 'config.env'), perms: '0640', contents: '{{ with secret "secret/app/config" }}GREETING={{ .Data.data.greeting }}\nCOLOR={{ .Data.data.color }}\nEND=1\n{{ end }}' },
        { destination: join(secrets, 'db.txt'), perms: '0600', contents: '{{ with secret "database/creds/app" }}user={{ .Data.username }}\npass={{ .Data.password }}\nlease={{ .LeaseID }}\n{{ end }}' },
        { destination: join(secrets, 'config.json'), perms: '0644', contents: '{{ with secret "secret/app/config" }}{"greeting":{{ .Data.data.greeting | toJSON }},"padding":"{{ sprig_repeat 4000 "x" }}"}\n{{ end }}' },
      ],
    });
    // The agent's view of the world: everything under lab.dir (its HOME and TMPDIR too).
    const before = await snapshot(lab.dir);
    agent = await startAgent(lab, config, { HOME: home, TMPDIR: tmp });
    await agent.waitFor(message('all templates rendered'), 30_000);

    const seen = Object.fromEntries(Object.keys(FILES).map((name) => [name, new Set<string>()])) as Record<FileName, Set<string>>;
    const bad: string[] = [];
    reading = true;
    reader = (async () => {
      while (reading) {
        for (const name of Object.keys(FILES) as FileName[]) {
          const path = join(secrets, name);
          let text: string;
          try {
            text = await readFile(path, 'utf8');
          } catch (error) {
            bad.push(`${name}: unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
            continue;
          }
          report.reads += 1;
          if (!FILES[name].complete.test(text) && bad.length < 10) bad.push(`${name}: incomplete (${text.length} bytes): ${JSON.stringify(text.slice(0, 60))}`);
          seen[name].add(text);
          const mode = (await stat(path)).mode & 0o777;
          if (mode !== FILES[name].perms && bad.length < 10) bad.push(`${name}: mode ${mode.toString(8)}, expected ${FILES[name].perms.toString(8)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();

    const current = (name: FileName) => readFile(join(secrets, name), 'utf8');
    const waitRendered = async (phase: string, value: string, started: number): Promise<void> => {
      await eventually(async () => ((await current('config.env')).includes(`GREETING=${value}\n`) && (await current('config.json')).includes(`"greeting":"${value}"`) ? true : undefined), 60_000, `${phase}: the sidecar renders ${value}`);
      report.phases.push({ phase, recoveredMs: Date.now() - started });
    };

    const jwts: string[] = [lab.jwt];
    for (let round = 0; round < options.rounds; round++) {
      let started = Date.now();
      vault.setLatency(options.slowMs);
      await waitRendered(`slow Vault (${options.slowMs} ms per request)`, rotate(), started);
      vault.setLatency(0);

      for (const status of [500, 503] as const) {
        started = Date.now();
        vault.failRequests({ status, pathPrefix: '/v1/secret/' });
        const value = rotate();
        await sleep(2500); // several refresh attempts fail meanwhile
        assert.ok(!(await current('config.env')).includes(value), `${status}s: the new value cannot have been read yet`);
        vault.clearFailures();
        await waitRendered(`Vault answering ${status} for 2.5 s`, value, started);
      }

      started = Date.now();
      await vault.stop();
      const whileDown = rotate(); // written to the double's store while it refuses connections
      await sleep(options.downMs);
      await vault.start();
      await waitRendered(`Vault stopped for ${options.downMs} ms and restarted`, whileDown, started);

      started = Date.now();
      const dbBefore = await current('db.txt');
      const leaseId = /lease=(\S+)/.exec(dbBefore)?.[1];
      assert.ok(leaseId !== undefined, 'the db file names its lease');
      vault.revokeLease(leaseId);
      await eventually(async () => ((await current('db.txt')) !== dbBefore ? true : undefined), 60_000, 'new database credentials after the lease was revoked');
      report.phases.push({ phase: 'database lease revoked', recoveredMs: Date.now() - started });

      started = Date.now();
      const oldJwt = (await readFile(lab.tokenFile, 'utf8')).trim();
      const newJwt = vault.issueServiceAccountJwt({ namespace: 'team-a', name: 'app-sa' });
      jwts.push(newJwt);
      await writeFile(`${lab.tokenFile}.new`, `${newJwt}\n`);
      await rename(`${lab.tokenFile}.new`, lab.tokenFile); // kubelet swaps projected tokens atomically
      vault.revokeServiceAccountJwt(oldJwt);
      const sinkToken = (await readFile(join(secrets, '.vault-token'), 'utf8')).trim();
      vault.revokeToken(sinkToken);
      await waitRendered('service-account JWT rotated, old JWT and Vault token revoked', rotate(), started);
      await eventually(async () => ((await readFile(join(secrets, '.vault-token'), 'utf8')).trim() !== sinkToken ? true : undefined), 30_000, 'the sink holds the token of the new login');
    }

    reading = false;
    await reader;
    assert.deepEqual(bad, [], 'the reader only ever saw complete files with their modes');
    for (const [name, texts] of Object.entries(seen)) report.versionsSeen[name] = texts.size;
    assert.ok(report.versionsSeen['config.env']! >= 1 + 5 * options.rounds, `every rotation of config.env was seen (${report.versionsSeen['config.env']})`);
    assert.ok(report.versionsSeen['db.txt']! >= 2, 'the database credentials changed');

    const stopped = await agent.stop('SIGTERM');
    assert.equal(stopped.code, 0, 'the sidecar exits 0 on SIGTERM');
    const after = await snapshot(lab.dir);
    const outside: string[] = [];
    for (const [path, state] of after) {
      if (path === 'secrets' || path.startsWith('secrets/') || path.startsWith('termination')) continue;
      if (path.startsWith('config-') && path.endsWith('.json')) continue; // the harness wrote the config
      // tsx (the test's TypeScript loader, absent from the shipped bundle) caches compiled files in TMPDIR.
      if (/^tmp\/tsx-\d+(\/|$)/.test(path)) continue;
      if (before.get(path) !== state && !(path === 'sa-token' || path === 'sa-token.new')) outside.push(`${path} (${before.has(path) ? 'changed' : 'new'})`);
    }
    assert.deepEqual(outside, [], 'the agent wrote nothing outside the secrets directory');
    const leftovers = (await readdir(secrets)).filter((name) => !['config.env', 'db.txt', 'config.json', '.ready', '.vault-token'].includes(name));
    assert.deepEqual(leftovers, [], 'no temporary files left in the secrets directory');
    assert.equal((await stat(join(secrets, '.vault-token'))).mode & 0o777, 0o640, 'the token sink carries its mode');

    const terminationText = await readFile(join(termination, 'termination-log'), 'utf8').catch(() => '');
    assertNoLeaks([
      { source: 'agent stdout/stderr', text: agent.lines.join('\n') },
      { source: 'termination message', text: terminationText },
    ], [...vault.issuedValues(), ...jwts]);
    return report;
  } finally {
    reading = false;
    await reader?.catch(() => undefined);
    await agent?.stop('SIGKILL');
    await lab.close();
  }
}
