// The reference agent side by side: `bao agent` (Vault Agent itself) and our agent run the SAME
// config (the one our webhook builds for an annotated pod, init mode, exit_after_auth: true)
// against the same real OpenBao, the same secrets and the same service account token, each into
// its own directory. What a migrated pod must contain is what Vault Agent writes: every file must
// be byte-identical with the same mode (values that are new on every fetch, database credentials
// and certificates, are masked), and a failure must fail on both sides with the same cause.
// Templates are batched into one pod (one agent run per side) to keep the wall time down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startAgent } from '../agent/harness.ts';
import { runBaoAgent } from '../real/bao-agent.ts';
import { placeConfig, webhookInitConfig } from '../real/injected-config.ts';
import { startRealLab, type RealLab } from '../real/lab.ts';
import { annotationsFor, defaultTemplatePaths, failureCases, maskDynamic, seedSecrets, templatedEntries, type CorpusEntry } from './side-by-side-corpus.ts';

interface SideResult {
  code: number | null;
  lines: string[];
  dir: string;
  termination: string;
}

type Json = Record<string, unknown>;

/** Runs one side on `config` (already placed into `dir`). */
async function runSide(lab: RealLab, side: 'bao' | 'ours', config: Json, dir: string): Promise<SideResult> {
  if (side === 'bao') {
    const { code, lines } = await runBaoAgent(config, 120_000);
    return { code, lines, dir, termination: '' };
  }
  const agent = await startAgent(lab, config);
  const timer = setTimeout(() => void agent.stop('SIGKILL'), 120_000);
  const { code } = await agent.exited;
  clearTimeout(timer);
  const termination = await readFile(join(dir, 'termination-log'), 'utf8').catch(() => '');
  return { code, lines: agent.lines, dir, termination };
}

/** Both agents on the webhook's config for these annotations, at the same time, each in its own directory. */
async function sideBySide(lab: RealLab, batch: string, annotations: Record<string, string>, adjust: (side: 'bao' | 'ours', config: Json) => void = () => {}): Promise<Record<'bao' | 'ours', SideResult>> {
  const built = webhookInitConfig(annotations);
  const run = async (side: 'bao' | 'ours'): Promise<SideResult> => {
    const dir = join(lab.dir, batch, side);
    await mkdir(join(dir, 'home'), { recursive: true });
    const config = placeConfig(built, {
      vaultAddress: lab.bao.addr,
      ...(lab.vaultStanza !== undefined ? { vaultStanza: lab.vaultStanza } : {}),
      tokenFile: lab.tokenFile,
      secretsDir: join(dir, 'secrets'),
      homeDir: join(dir, 'home'),
      terminationFile: join(dir, 'termination-log'),
    });
    adjust(side, config);
    return runSide(lab, side, config, dir);
  };
  const [bao, ours] = await Promise.all([run('bao'), run('ours')]);
  return { bao, ours };
}

async function filesOf(dir: string): Promise<Map<string, { bytes: Buffer; mode: number }>> {
  const files = new Map<string, { bytes: Buffer; mode: number }>();
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.sort()) {
    const path = join(dir, name);
    files.set(name, { bytes: await readFile(path), mode: (await stat(path)).mode & 0o7777 });
  }
  return files;
}

const show = (bytes: Buffer | string): string => JSON.stringify(bytes.toString()).slice(0, 600);

/** Every difference between the two secrets directories, one line each. */
async function differences(bao: SideResult, ours: SideResult, dynamic: ReadonlySet<string>): Promise<{ compared: number; masked: number; problems: string[] }> {
  const theirs = await filesOf(join(bao.dir, 'secrets'));
  const mine = await filesOf(join(ours.dir, 'secrets'));
  const problems: string[] = [];
  let masked = 0;
  for (const name of new Set([...theirs.keys(), ...mine.keys()])) {
    const a = theirs.get(name);
    const b = mine.get(name);
    if (a === undefined || b === undefined) {
      problems.push(`${name}: written by ${a === undefined ? 'our agent only' : 'bao agent only'}`);
      continue;
    }
    if (a.mode !== b.mode) problems.push(`${name}: mode ${a.mode.toString(8)} (bao) vs ${b.mode.toString(8)} (ours)`);
    if (dynamic.has(name)) {
      masked++;
      const shapeA = maskDynamic(a.bytes.toString('utf8'));
      const shapeB = maskDynamic(b.bytes.toString('utf8'));
      if (shapeA !== shapeB) problems.push(`${name} (masked): bao ${show(shapeA)}\n   ours ${show(shapeB)}`);
      if (a.bytes.equals(b.bytes)) problems.push(`${name}: a dynamic secret came out identical on both sides; it is not new on every fetch, so do not mask it`);
    } else if (!a.bytes.equals(b.bytes)) {
      problems.push(`${name}: bao ${show(a.bytes)}\n   ours ${show(b.bytes)}`);
    }
  }
  return { compared: theirs.size, masked, problems };
}

const tail = (result: SideResult): string => result.lines.slice(-12).join('\n');

test('side by side with bao agent: the corpus renders to the same bytes and modes', { timeout: 600_000 }, async (t) => {
  const lab = await startRealLab({ database: { defaultTtl: '1h', maxTtl: '2h' }, pki: { ttl: '1h', maxTtl: '2h' } });
  try {
    const issued = await lab.bao.call('POST', 'pki/issue/web', { common_name: 'static.example.com', ttl: '24h' });
    const data = (issued.body as { data: { certificate: string; private_key: string; issuing_ca: string } }).data;
    await seedSecrets(lab.bao, { certificate: data.certificate, privateKey: data.private_key, ca: data.issuing_ca });

    const mapDefaults: CorpusEntry[] = defaultTemplatePaths.map((entry) => ({ ...entry }));
    const jsonDefaults: CorpusEntry[] = defaultTemplatePaths.map((entry) => ({ ...entry, name: `json-${entry.name}` }));
    const batches: Array<{ name: string; entries: CorpusEntry[]; podWide?: Record<string, string> }> = [
      { name: 'map-and-templates', entries: [...mapDefaults, ...templatedEntries] },
      { name: 'json-default', entries: jsonDefaults, podWide: { 'agent-inject-default-template': 'json' } },
    ];
    const total = batches.reduce((sum, batch) => sum + batch.entries.length, 0);
    assert.ok(total >= 60, `the corpus has ${total} templates`);

    for (const batch of batches) {
      await t.test(`${batch.name}: ${batch.entries.length} templates`, async () => {
        const { bao, ours } = await sideBySide(lab, batch.name, annotationsFor(batch.entries, batch.podWide));
        assert.equal(bao.code, 0, `bao agent failed:\n${tail(bao)}`);
        assert.equal(ours.code, 0, `our agent failed:\n${tail(ours)}`);
        const dynamic = new Set(batch.entries.filter((entry) => entry.dynamic === true).map((entry) => entry.name));
        const { compared, masked, problems } = await differences(bao, ours, dynamic);
        assert.equal(compared, batch.entries.length, 'bao agent wrote every file');
        assert.deepEqual(problems, [], `${problems.length} of ${compared} files differ (${masked} compared masked):\n${problems.join('\n')}`);
        // The token sink too: same mode.
        const sinkModes = await Promise.all([bao, ours].map(async (side) => (await stat(join(side.dir, 'home', '.vault-token'))).mode & 0o7777));
        assert.equal(sinkModes[1], sinkModes[0], 'token sink mode');
      });
    }
  } finally {
    await lab.close();
  }
});

/** The template error as Go words it, without the template's name (`(dynamic)`/"" in Vault Agent, the file name in ours). */
function templateCause(text: string): { position: string; at: string; reason: string } | undefined {
  const match = /:(\d+:\d+): executing "(?:[^"\\]|\\.)*" at <(.*?)>: (.*)$/.exec(text);
  if (match === null) return undefined;
  return { position: match[1] ?? '', at: match[2] ?? '', reason: match[3] ?? '' };
}

/** Vault Agent's final error line, unescaped from hclog's `error="..."`. */
function baoError(lines: string[]): string {
  const line = lines.find((entry) => entry.includes('runtime error encountered')) ?? '';
  const quoted = /error="((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? line;
  return quoted.replace(/\\"/g, '"').replace(/\\\\/g, '\\');
}

test('side by side with bao agent: failures fail on both sides with the same cause', { timeout: 300_000 }, async (t) => {
  const lab = await startRealLab();
  try {
    await seedSecrets(lab.bao, { certificate: '', privateKey: '', ca: '' });
    for (const failure of failureCases) {
      await t.test(failure.name, async () => {
        // Neither agent's default retries (Vault Agent: 12 attempts, about 5 minutes; ours: 2m)
        // belong in a test: each side gets its own knob for "retry once".
        const { bao, ours } = await sideBySide(lab, failure.name, annotationsFor([failure.entry]), (side, config) => {
          if (side === 'bao') (config['vault'] as Json)['retry'] = { num_retries: 1 };
          else (config['vault_injector'] as Json)['retry_timeout'] = '1s';
        });
        assert.notEqual(bao.code, 0, `bao agent must fail:\n${tail(bao)}`);
        assert.notEqual(ours.code, 0, `our agent must fail:\n${tail(ours)}`);
        assert.deepEqual(await readdir(join(ours.dir, 'secrets')).catch(() => []), await readdir(join(bao.dir, 'secrets')).catch(() => []), 'the same files (none) written');
        const message = ours.termination.trim().replace(/\.$/, '');
        if (failure.cause === 'forbidden') {
          const theirs = bao.lines.join('\n');
          assert.match(theirs, /Code: 403\. Errors:\n\* 1 error occurred:\n\t\* permission denied/, tail(bao));
          assert.match(theirs, new RegExp(`vault\\.read\\(${failure.entry.path}\\)`));
          assert.match(message, /403 permission denied/, message);
          assert.ok(message.includes(JSON.stringify(failure.entry.path)), message);
        } else {
          const theirs = templateCause(baoError(bao.lines));
          const mine = templateCause(message);
          assert.ok(theirs !== undefined, `bao agent's error names Go's cause:\n${tail(bao)}`);
          assert.deepEqual(mine, theirs, `ours: ${message}\nbao: ${baoError(bao.lines)}`);
          if (failure.reason !== undefined) assert.match(theirs.reason, failure.reason);
        }
      });
    }
  } finally {
    await lab.close();
  }
});
