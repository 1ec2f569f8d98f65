// A throwaway PostgreSQL cluster on a free loopback port, for the database secrets engine of the
// real OpenBao. Debian's server binaries (scripts/setup-postgres.sh installs them); PostgreSQL
// refuses to run as root, so as root the cluster belongs to the unprivileged `postgres` user.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopChild, waitUntil } from './process.ts';

export interface Postgres {
  readonly port: number;
  readonly superuser: string;
  readonly password: string;
  /** A connection URL for the superuser on 127.0.0.1. */
  readonly url: string;
  /** Runs SQL as `user` (the superuser by default) over TCP with password auth, as a client would;
   *  returns the rows as arrays of text. Rejects with psql's own error when the login or SQL fails. */
  query(sql: string, login?: { user: string; password: string }): Promise<string[][]>;
  stop(): Promise<void>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => existsSync(join(root, name, 'bin/postgres'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql: run `bash scripts/setup-postgres.sh` (npm test runs it first)');
  return join(root, newest, 'bin');
}

function unprivilegedUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function run(binary: string, args: string[], owner: { uid: number; gid: number } | undefined, env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(binary, args, { env: { PATH: '/usr/bin:/bin', LANG: 'C', ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...(owner ?? {}) });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolveRun(out) : reject(new Error(`${binary.split('/').pop()} exited ${code}: ${err.trim() || out.trim()}`))));
  });
}

export async function startPostgres(): Promise<Postgres> {
  const bin = binDir();
  const owner = unprivilegedUser();
  const dir = await mkdtemp(join(tmpdir(), 'postgres-'));
  const dataDir = join(dir, 'data');
  const password = `pg-${Math.random().toString(36).slice(2, 14)}`;
  const superuser = 'postgres';
  await writeFile(join(dir, 'pwfile'), `${password}\n`);
  if (owner !== undefined) {
    await chown(dir, owner.uid, owner.gid);
    await chown(join(dir, 'pwfile'), owner.uid, owner.gid);
  }
  await chmod(dir, 0o700);
  await run(join(bin, 'initdb'), ['-D', dataDir, '-U', superuser, `--pwfile=${join(dir, 'pwfile')}`, '--auth-host=scram-sha-256', '--auth-local=trust', '--no-sync', '-E', 'UTF8'], owner);
  const port = await freePort();
  const child: ChildProcess = spawn(join(bin, 'postgres'), ['-D', dataDir, '-h', '127.0.0.1', '-p', String(port), '-k', dir, '-c', 'fsync=off', '-c', 'max_connections=100'], {
    env: { PATH: '/usr/bin:/bin', LANG: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(owner ?? {}),
  });
  const log: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => log.push(chunk));
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => log.push(chunk));

  const query = async (sql: string, login = { user: superuser, password }): Promise<string[][]> => {
    const out = await run(join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', login.user, '-d', 'postgres', '-X', '-q', '-t', '-A', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql], undefined, { PGPASSWORD: login.password, PGCONNECT_TIMEOUT: '5' });
    return out.split('\n').filter((line) => line !== '').map((line) => line.split('\t'));
  };
  const server: Postgres = {
    port,
    superuser,
    password,
    url: `postgresql://${superuser}:${password}@127.0.0.1:${port}/postgres?sslmode=disable`,
    query,
    async stop() {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitUntil(async () => {
      if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}: ${log.join('').slice(-2000)}`);
      try {
        await query('select 1');
        return true;
      } catch {
        return false;
      }
    }, 30_000, () => `PostgreSQL did not accept connections on 127.0.0.1:${port}: ${log.join('').slice(-2000)}`);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}
