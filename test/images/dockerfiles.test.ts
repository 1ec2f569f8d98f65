// Dockerfile.webhook and Dockerfile.agent, read as text (no Docker engine runs here): multi-stage,
// Node 24 build, distroless Node 24 runtime, non-root, no shell needed, only the bundle shipped,
// and an entrypoint that matches how the chart and the webhook run each image.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/bundle.ts';
import { DEFAULT_IMAGE_LAYOUT } from '../../agent/src/probe.ts';
import { WEBHOOK_NODE_FLAGS } from '../../src/runtime-flags.ts';
import { envOf, execForm, parseDockerfile, contextCopies } from './dockerfile.ts';
import type { Stage } from './dockerfile.ts';
import { findObject, render } from '../chart/helm.ts';
import type { KubeObject } from '../chart/helm.ts';

const images = [
  { file: 'Dockerfile.webhook', program: 'webhook' as const, bundle: '/webhook.js', files: ['webhook.js'], command: ['serve'], nodeFlags: WEBHOOK_NODE_FLAGS, codeCache: false },
  // The agent: its loader (agent.js) and program (agent-main.js), and the program's code cache.
  { file: 'Dockerfile.agent', program: 'agent' as const, bundle: '/agent.js', files: ['agent.js', 'agent-main.js', 'hcl-parser.js'], command: ['run'], nodeFlags: [], codeCache: true },
];

const stagesOf = (file: string): Stage[] => parseDockerfile(readFileSync(join(repoRoot, file), 'utf8'));
const keywords = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);

describe('the Dockerfile reader', () => {
  test('joins continuations, drops comments, splits stages', () => {
    const stages = parseDockerfile('FROM a AS b\n# c\nRUN x \\\n  # inside\n  y\nFROM d\nENV P=/x:/y \\\n    Q=1\nCMD ["z"]\n');
    assert.deepEqual(stages.map((s) => [s.from, s.alias]), [['a', 'b'], ['d', undefined]]);
    assert.deepEqual(stages[0]?.instructions.map((i) => [i.keyword, i.args]), [['RUN', 'x y']]);
    assert.deepEqual(envOf(stages[1] as Stage), { P: '/x:/y', Q: '1' });
    assert.deepEqual(execForm('["z"]'), ['z']);
    assert.equal(execForm('node z'), undefined);
  });
});

for (const image of images) {
  describe(image.file, () => {
    const stages = stagesOf(image.file);
    const buildStage = stages[0] as Stage;
    const runtime = stages.at(-1) as Stage;

    test('multi-stage: a Node 24 build stage, then a distroless Node 24 runtime', () => {
      assert.equal(stages.length, image.codeCache ? 3 : 2);
      assert.match(buildStage.from, /^node:24(\.|-|$)/);
      assert.ok(buildStage.alias, 'the build stage is named');
      assert.match(runtime.from, /^gcr\.io\/distroless\/nodejs24-debian1[2-9](:nonroot)?(@sha256:[0-9a-f]{64})?$/);
    });

    test('the build stage installs from the lock file and bundles with esbuild', () => {
      const runs = keywords(buildStage, 'RUN').map((i) => i.args);
      assert.ok(runs.some((run) => /^npm ci\b/.test(run)), 'npm ci');
      const bundleRun = runs.find((run) => run.includes('scripts/bundle.ts'));
      assert.ok(bundleRun, 'runs scripts/bundle.ts');
      assert.match(bundleRun, new RegExp(`--only ${image.program}\\b`));
      assert.deepEqual(contextCopies(buildStage).slice(0, 2), ['package.json', 'package-lock.json'], 'dependencies first, for the layer cache');
    });

    test('the runtime has no RUN (no shell needed), only the bundle, a numeric non-root user', () => {
      assert.deepEqual(keywords(runtime, 'RUN'), []);
      const copies = keywords(runtime, 'COPY').map((i) => i.args);
      assert.equal(copies[0], `--from=${buildStage.alias} ${image.files.map((file) => `/out/${file}`).join(' ')} /`);
      assert.equal(copies.length, image.codeCache ? 2 : 1);
      const users = keywords(runtime, 'USER');
      assert.equal(users.length, 1);
      assert.match(users[0]?.args ?? '', /^65532(:65532)?$/, 'numeric, so Kubernetes can check runAsNonRoot');
      assert.equal(envOf(runtime)['NODE_ENV'], 'production');
    });

    if (image.codeCache) {
      test('the code cache is made by the runtime image\'s own node, in a warm-up run, and lands beside the program', () => {
        const cacheStage = stages[1] as Stage;
        assert.equal(cacheStage.from, runtime.from, 'the same image, so the same node binary');
        assert.ok(cacheStage.alias);
        assert.deepEqual(keywords(cacheStage, 'COPY').map((i) => i.args), [`--from=${buildStage.alias} ${image.files.map((file) => `/out/${file}`).join(' ')} /`]);
        const output = envOf(cacheStage)['VAULT_AGENT_WRITE_CODE_CACHE'];
        assert.match(output ?? '', /^\/tmp\//, 'written where the non-root user may write');
        const runs = keywords(cacheStage, 'RUN');
        assert.equal(runs.length, 1);
        // The same node and flags as the entrypoint: V8 takes a cache only from an identical setup.
        assert.deepEqual(execForm(runs[0]?.args ?? ''), ['/nodejs/bin/node', ...image.nodeFlags, image.bundle], 'exec form: there is no shell');
        assert.deepEqual(keywords(runtime, 'COPY')[1]?.args, `--from=${cacheStage.alias} ${output} /agent-main.js.cache`);
        assert.equal(envOf(runtime)['VAULT_AGENT_WRITE_CODE_CACHE'], undefined, 'the runtime only reads the cache');
      });
    }

    test(`the entrypoint runs the bundle with the runtime's node and its flags; the default command is ${image.command.join(' ')}`, () => {
      const entrypoint = execForm(keywords(runtime, 'ENTRYPOINT')[0]?.args ?? '');
      assert.deepEqual(entrypoint, ['/nodejs/bin/node', ...image.nodeFlags, image.bundle]);
      assert.deepEqual(execForm(keywords(runtime, 'CMD')[0]?.args ?? ''), image.command);
    });
  });
}

test('.dockerignore keeps node_modules, git, tests and build output out of the context', () => {
  const ignored = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
  for (const path of ['node_modules', '.git', 'dist', 'test']) assert.ok(ignored.includes(path), path);
});

test('the agent image runs the startup probe the webhook injects (node on PATH, bundle where the probe says)', () => {
  const runtime = stagesOf('Dockerfile.agent').at(-1) as Stage;
  assert.ok((envOf(runtime)['PATH'] ?? '').split(':').includes('/nodejs/bin'), 'PATH has the distroless node');
  assert.equal(DEFAULT_IMAGE_LAYOUT.script, '/agent.js');
  assert.ok(['node', '/nodejs/bin/node'].includes(DEFAULT_IMAGE_LAYOUT.node));
});

test('the chart runs the webhook image with the image\'s own command', () => {
  const deployment = findObject(render(), 'Deployment') as KubeObject & { spec: { template: { spec: { containers: Array<{ command?: string[]; args?: string[] }> } } } };
  const container = deployment.spec.template.spec.containers[0];
  assert.equal(container?.command, undefined, 'ENTRYPOINT is kept');
  assert.deepEqual(container?.args, ['serve']);
});
