// The agent: log in, render every template once (init mode: then exit 0), and in sidecar mode keep
// token, leases and files fresh until SIGTERM. Before the first complete render, failures are
// retried with backoff; with exit_on_retry_failure (our default) the agent gives up once
// vault_injector.retry_timeout (default 2m) has passed, exits 1 and writes one sentence saying
// why to the termination message file. After the first render, the sidecar never gives up: it
// keeps the last good files and recovers when Vault does.
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { AgentSettings } from './config/settings.ts';
import type { ClientEnvironment } from './config/environment.ts';
import { agentError, describeNetworkError, describeVaultErrors, isAgentError, type AgentError } from './errors.ts';
import { loadPersistedCache, savePersistedCache } from './cache/persist.ts';
import type { SecretRegistry } from './logger.ts';
import { TokenKeeper } from './auth/token.ts';
import { JwtFileSource, serviceAccountTokenSource } from './auth/jwt.ts';
import { discoverAll, type TemplateOutcome } from './secrets/discovery.ts';
import { describeRequest, requestKey } from './secrets/paths.ts';
import { TrackingSource } from './secrets/source.ts';
import { SecretStore, type FetchFailure } from './secrets/store.ts';
import { createTemplateEngine } from './render/engine.ts';
import { createVolumeWriter } from './files/template-writes.ts';
import { discoveryTemplate, loadTemplates, runTemplateCommand, writeRendered, type LoadedTemplate } from './render/templates.ts';
import { backoffDelay } from './timing.ts';
import { createVaultClient, loadTls, type VaultClient } from './vault/client.ts';
import type { AgentListener } from './listener/server.ts';
import type { AgentMetrics } from './telemetry/metrics.ts';
import type { Upstream } from './listener/upstream.ts';

export interface RunDependencies {
  env: NodeJS.ProcessEnv;
  /** The Vault client's environment (CA bytes, timeout, retries, proxy). */
  client: ClientEnvironment;
  logger: Logger;
  secrets: SecretRegistry;
  now: () => number;
  random: () => number;
  /** Aborted on SIGTERM/SIGINT. */
  shutdown: AbortSignal;
}

export interface RunOutcome {
  exitCode: number;
  /** Why the agent gave up (for the termination message). */
  failure?: AgentError;
}

export async function runAgent(settings: AgentSettings, agentDeps: RunDependencies): Promise<RunOutcome> {
  let deps = agentDeps;
  const { logger } = deps;
  const startedAt = deps.now();
  logger.info({ mode: settings.mode, address: settings.vaultAddress, role: settings.role, templates: settings.templates.length }, 'vault-agent starting');

  if (settings.readyFile !== undefined) await unlink(settings.readyFile).catch(() => undefined);
  if (settings.pidFile !== undefined) await writeFile(settings.pidFile, `${process.pid}\n`).catch(() => logger.warn({ pidFile: settings.pidFile }, 'cannot write the pid file'));

  let client: VaultClient;
  let templates: LoadedTemplate[];
  let store: SecretStore;
  let token: TokenKeeper;
  let tokenRejected = false;
  let firstRenderDone = false;
  const changed = new Set<string>();
  let wake: (() => void) | undefined;
  // A POST to the listener's /agent/v1/quit stops the agent as a signal does.
  const quit = new AbortController();
  const stopSignal = AbortSignal.any([deps.shutdown, quit.signal]);
  deps = { ...deps, shutdown: stopSignal };
  stopSignal.addEventListener('abort', () => wake?.(), { once: true });
  let listener: AgentListener | undefined;
  let upstream: Upstream | undefined;
  let metrics: AgentMetrics | undefined;
  /** The store's way through the listener's lease cache (with a `cache` stanza). */
  let cacheClient: VaultClient | undefined;
  /** The init agent's token, from the restored persistent cache (sidecar). */
  let restoredToken: string | undefined;
  let render: (which: LoadedTemplate[]) => Promise<RoundResult>;

  try {
    // One set of client options for Vault and for the agent's own cache listener, which differ in
    // address, proxy (loopback is never proxied) and connection policy.
    const clientTo = (address: string, connections: { autoAuth: typeof settings.connections.autoAuth; templating: typeof settings.connections.templating }, proxy: typeof deps.client.proxy) => createVaultClient({
      address,
      namespace: settings.vaultNamespace,
      tls: settings.tls,
      maxConnections: settings.maxConnectionsPerHost,
      caCertificates: deps.client.caCertificates,
      timeoutMs: deps.client.timeoutMs,
      maxRetries: deps.client.maxRetries,
      ...(proxy !== undefined ? { proxy } : {}),
      connections,
    });
    client = clientTo(settings.vaultAddress, { autoAuth: settings.connections.autoAuth, templating: settings.connections.templating }, deps.client.proxy);
    store = new SecretStore({
      client,
      logger,
      secrets: deps.secrets,
      now: deps.now,
      random: deps.random,
      staticIntervalMs: settings.staticSecretRenderIntervalMs,
      leaseRenewalThreshold: settings.leaseRenewalThreshold,
      minBackoffMs: settings.minBackoffMs,
      maxBackoffMs: settings.maxBackoffMs,
      onChange: (key) => {
        changed.add(key);
        wake?.();
      },
      onTokenRejected: () => {
        if (firstRenderDone) void token.relogin();
        else tokenRejected = true;
      },
    });
    token = new TokenKeeper({
      client,
      logger,
      secrets: deps.secrets,
      address: settings.vaultAddress,
      loginPath: settings.loginPath,
      role: settings.role,
      jwt: settings.auth.type === 'jwt'
        ? new JwtFileSource({ path: settings.tokenPath, ...settings.auth, logger })
        : serviceAccountTokenSource(settings.tokenPath),
      methodName: settings.auth.type === 'jwt' ? 'JWT' : 'Kubernetes',
      sinks: settings.sinks,
      minBackoffMs: settings.minBackoffMs,
      maxBackoffMs: settings.maxBackoffMs,
      now: deps.now,
      random: deps.random,
      onNewToken: () => store.refetchAll(),
      onLoginResult: (result) => {
        metrics?.increment('agent', 'auth', result.ok ? 'success' : 'failure');
        if (result.ok) {
          listener?.registerAutoAuthToken(result.token);
          cacheClient?.setToken(result.token);
        }
      },
      onRenewResult: (ok) => metrics?.increment('agent', 'auth', ok ? 'success' : 'failure'),
    });
    const source = new TrackingSource((request) => store.lookup(request));
    // writeToFile writes inside the secrets volume(s) only; without them it is refused
    const writeFile = settings.secretsVolumes.length > 0 ? createVolumeWriter(settings.secretsVolumes) : undefined;
    const engine = createTemplateEngine({ secrets: source, env: deps.env, now: () => new Date(deps.now()), ...(writeFile !== undefined ? { writeFile } : {}) });
    templates = await loadTemplates(settings.templates, engine);
    render = (which: LoadedTemplate[]) => renderRound(which, source, store, settings, deps);
    if (settings.listener !== undefined) {
      const started = await startListening(settings, deps, () => token.currentToken, () => quit.abort());
      ({ listener, upstream, metrics, restoredToken } = started);
      if (listener.cache !== undefined) {
        cacheClient = clientTo(`http://${settings.listener.host}:${listener.port}`, { autoAuth: settings.connections.templating, templating: settings.connections.templating }, undefined);
        store.readThroughCache(cacheClient);
      }
    }
  } catch (error) {
    await listener?.close();
    upstream?.close();
    return { exitCode: 1, failure: isAgentError(error) ? error : agentError('AGENT_USAGE', { detail: 'the agent could not start' }) };
  }

  const shutdown = async (exitCode: number, failure?: AgentError): Promise<RunOutcome> => {
    store.stop();
    token.stop();
    await listener?.close();
    upstream?.close();
    const persist = settings.listener?.persist;
    if (settings.mode === 'init' && exitCode === 0 && persist !== undefined && listener?.cache !== undefined) {
      await savePersistedCache(persist.path, listener.cache.snapshot()).then(
        () => logger.info({ path: persist.path, entries: listener?.cache?.size }, 'cache: persisted for the sidecar'),
        () => logger.warn({ path: persist.path }, 'cache: cannot persist the cache for the sidecar'),
      );
    }
    if (settings.mode === 'sidecar' && settings.revokeOnShutdown && token.hasToken) {
      if (settings.revokeGraceMs > 0) await sleep(settings.revokeGraceMs);
      await Promise.race([token.revoke().catch(() => logger.warn('could not revoke the Vault token on shutdown')), sleep(800)]);
    }
    client.close();
    cacheClient?.close();
    return failure === undefined ? { exitCode } : { exitCode, failure };
  };

  // A restored persistent cache brings the init agent's token: keep it when Vault still takes it,
  // so the leases the init agent's templates read (and the app was given) stay the ones in use.
  if (restoredToken !== undefined) {
    const adopted = await token.adopt(restoredToken).catch(() => false);
    if (!adopted) listener?.cache?.clear({ type: 'token', value: restoredToken });
  }

  // ---- first complete render, with bounded retries ----
  const deadline = startedAt + settings.retryTimeoutMs;
  let attempt = 0;
  let pendingTemplates = templates;
  for (;;) {
    if (deps.shutdown.aborted) return shutdown(settings.mode === 'init' ? 1 : 0);
    let failure: AgentError | undefined;
    if (!token.hasToken || tokenRejected) {
      tokenRejected = false;
      try {
        await token.login();
      } catch (error) {
        failure = isAgentError(error) ? error : agentError('AGENT_USAGE', { detail: 'login failed' });
      }
    }
    if (failure === undefined) {
      const round = await render(pendingTemplates);
      pendingTemplates = pendingTemplates.filter((template) => !template.rendered);
      failure = round.failure;
      if (failure === undefined && pendingTemplates.length === 0) break;
    }
    if (failure === undefined) failure = agentError('AGENT_TEMPLATE_INCOMPLETE', { template: pendingTemplates[0]?.settings.name ?? '?', paths: 'its secrets' }, { retryable: true });
    // The caller logs the final failure and writes the termination message.
    if (!failure.retryable || (failure.code === 'AGENT_LOGIN_DENIED' && settings.exitOnAuthError)) return shutdown(1, failure);
    const delay = backoffDelay(attempt, settings.minBackoffMs, settings.maxBackoffMs, deps.random());
    attempt += 1;
    if (settings.exitOnRetryFailure && deps.now() + delay > deadline) {
      const exhausted = agentError('AGENT_RETRY_EXHAUSTED', { seconds: Math.round((deps.now() - startedAt) / 1000), cause: failure.message });
      return shutdown(1, exhausted);
    }
    logger.warn({ code: failure.code, attempt, retryInMs: delay }, failure.message);
    await sleep(delay, deps.shutdown);
  }
  firstRenderDone = true;
  store.retainOnly(dependencyKeys(templates));
  logger.info({ templates: templates.length, elapsedMs: deps.now() - startedAt }, 'all templates rendered');

  if (settings.mode === 'init') return shutdown(0);

  // ---- sidecar: keep everything fresh until SIGTERM ----
  if (settings.readyFile !== undefined) {
    try {
      await mkdir(dirname(settings.readyFile), { recursive: true });
      await writeFile(settings.readyFile, 'ready\n', { mode: 0o644 });
    } catch {
      logger.error({ readyFile: settings.readyFile }, 'cannot create the ready file; the startup probe will fail');
    }
  }
  token.keep();
  store.startRefreshing();

  let retryAttempt = 0;
  let retryAt = Number.POSITIVE_INFINITY;
  const incomplete = new Set<LoadedTemplate>();
  while (!deps.shutdown.aborted) {
    const waitMs = Math.max(0, Math.min(retryAt - deps.now(), 2 ** 31 - 1));
    if (changed.size === 0 && (incomplete.size === 0 || waitMs > 0)) {
      await new Promise<void>((resolve) => {
        const timer = incomplete.size > 0 ? setTimeout(resolve, waitMs) : undefined;
        wake = () => {
          if (timer !== undefined) clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      if (deps.shutdown.aborted) break;
      // Let a burst of changes (a new login refetches everything) settle into one render.
      await sleep(20);
    }
    const keys = new Set(changed);
    changed.clear();
    const due = deps.now() >= retryAt;
    const affected = templates.filter((template) => (incomplete.has(template) && due) || [...template.dependencies].some((key) => keys.has(key)));
    if (affected.length === 0) continue;
    const round = await render(affected);
    for (const template of affected) incomplete.delete(template);
    for (const template of round.incomplete) incomplete.add(template);
    if (round.failure !== undefined) {
      const delay = backoffDelay(retryAttempt++, settings.minBackoffMs, settings.maxBackoffMs, deps.random());
      retryAt = deps.now() + delay;
      logger.warn({ code: round.failure.code, retryInMs: delay }, `${round.failure.message}; keeping the last good file`);
    } else {
      retryAttempt = 0;
      retryAt = Number.POSITIVE_INFINITY;
      store.retainOnly(dependencyKeys(templates));
    }
  }
  logger.info('received a termination signal; stopping');
  return shutdown(0);
}

interface RoundResult {
  /** The first problem, as the message to show (undefined when every template completed). */
  failure: AgentError | undefined;
  incomplete: LoadedTemplate[];
}

/** One render of some templates: discover and fetch their secrets, write the complete ones. */
async function renderRound(which: LoadedTemplate[], source: TrackingSource, store: SecretStore, settings: AgentSettings, deps: RunDependencies): Promise<RoundResult> {
  const byId = new Map(which.map((template) => [template.settings.index, template]));
  const outcomes = await discoverAll<FetchFailure>(
    which.map((template) => discoveryTemplate(template, source)),
    (requests) => store.fetchAll(requests),
  );
  const ordered = [...outcomes].sort(([a], [b]) => a - b).flatMap(([id, outcome]) => {
    const template = byId.get(id);
    return template === undefined ? [] : [{ template, outcome }];
  });
  // All files at once (each write is several file-system round trips), then, in template order,
  // the problems and the commands of the changed files, as consul-template runs a pass's commands
  // after its renders.
  // Templates sharing a destination still write one after the other, so the last one wins as before.
  const lastWriteTo = new Map<string, Promise<unknown>>();
  const writes = await Promise.all(ordered.map(({ template, outcome }) => {
    if (outcome.status !== 'complete') return undefined;
    template.dependencies = new Set(outcome.used.map(requestKey));
    const destination = template.settings.destination;
    const write = (lastWriteTo.get(destination) ?? Promise.resolve()).then(() => writeRendered(template, outcome.output, deps.logger));
    lastWriteTo.set(destination, write);
    return write;
  }));
  let failure: AgentError | undefined;
  const incomplete: LoadedTemplate[] = [];
  for (const [index, { template, outcome }] of ordered.entries()) {
    const write = writes[index];
    if (outcome.status !== 'complete' || write === undefined) {
      incomplete.push(template);
      if (outcome.status !== 'complete') failure ??= describeOutcome(template, outcome, settings);
    } else if ('failure' in write) {
      incomplete.push(template);
      failure ??= write.failure;
    } else if (write.written) {
      await runTemplateCommand(template, deps.logger, deps.env);
    }
  }
  return { failure, incomplete };
}

function describeOutcome(template: LoadedTemplate, outcome: Exclude<TemplateOutcome<FetchFailure>, { status: 'complete' }>, settings: AgentSettings): AgentError {
  const name = template.settings.name;
  const address = settings.vaultAddress;
  if (outcome.status === 'error') {
    const reason = outcome.error instanceof Error ? outcome.error.message : 'execution failed';
    // A template error is deterministic for the data it saw: retrying only helps once the data changes.
    return agentError('AGENT_TEMPLATE_EXEC', { template: name, reason }, { retryable: false });
  }
  const failure = [...outcome.failures.values()][0];
  if (failure === undefined) {
    const paths = outcome.missing.map((request) => `"${describeRequest(request)}"`).join(', ');
    return agentError('AGENT_TEMPLATE_INCOMPLETE', { template: name, paths: paths === '' ? 'its secrets' : paths }, { retryable: true });
  }
  const path = describeRequest(failure.request);
  const vaultError = describeVaultErrors(failure.vaultErrors);
  switch (failure.kind) {
    case 'unreachable':
      return agentError('AGENT_VAULT_UNREACHABLE', { address, reason: failure.networkReason ?? 'no answer' }, { retryable: true });
    case 'forbidden':
      return agentError('AGENT_SECRET_FORBIDDEN', { address, template: name, path, role: settings.role, vaultError }, { retryable: true });
    case 'missing':
      return agentError('AGENT_SECRET_MISSING', { address, template: name, path }, { retryable: true });
    case 'token':
      return agentError('AGENT_TOKEN_INVALID', { address, vaultError }, { retryable: true });
    default:
      return agentError('AGENT_SECRET_FAILED', { address, template: name, path, status: failure.status, vaultError }, { retryable: true });
  }
}

/** The listener (and what it needs): started before the first login, so the app can use it at once. */
async function startListening(
  settings: AgentSettings,
  deps: RunDependencies,
  autoAuthToken: () => string | undefined,
  onQuit: () => void,
): Promise<{ listener: AgentListener; upstream: Upstream; metrics: AgentMetrics; restoredToken: string | undefined }> {
  const listenerSettings = settings.listener;
  if (listenerSettings === undefined) throw agentError('AGENT_USAGE', { detail: 'no listener configured' });
  const [{ startListener }, { createUpstream }, { AgentMetrics }] = await Promise.all([import('./listener/server.ts'), import('./listener/upstream.ts'), import('./telemetry/metrics.ts')]);
  const metrics = await AgentMetrics.create(settings.telemetry, deps.now);
  const upstream = createUpstream({
    address: settings.vaultAddress,
    tls: loadTls(settings.tls, deps.client.caCertificates),
    // Go's 0 (no timeout) is the transport's too; the proxy's own timer needs a number.
    timeoutMs: deps.client.timeoutMs === 0 ? 2_147_483_647 : deps.client.timeoutMs,
    policy: settings.connections.apiProxy,
    ...(deps.client.proxy !== undefined ? { proxy: deps.client.proxy } : {}),
  });
  let listener: AgentListener;
  try {
    listener = await startListener({ settings: listenerSettings, upstream, metrics, logger: deps.logger, now: deps.now, random: deps.random, autoAuthToken, onQuit });
  } catch (error) {
    upstream.close();
    throw agentError('AGENT_LISTENER', { address: `${listenerSettings.host}:${listenerSettings.port}`, reason: (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'the port is in use' : describeNetworkError(error) });
  }
  const persist = listenerSettings.persist;
  let restoredToken: string | undefined;
  if (settings.mode === 'sidecar' && persist !== undefined && listener.cache !== undefined) {
    const loaded = await loadPersistedCache(persist.path, persist.keepAfterImport);
    let problem = loaded.status === 'invalid' ? loaded.reason : undefined;
    if (loaded.status === 'loaded') {
      try {
        const restored = listener.cache.restore(loaded.entries);
        restoredToken = restored.autoAuthToken;
        if (restoredToken !== undefined) deps.secrets.add(restoredToken);
        deps.logger.info({ path: persist.path, restored: restored.restored, autoAuthToken: restoredToken !== undefined, saved: loaded.entries.length }, 'cache: restored what the init agent left');
      } catch {
        problem = 'the saved entries are malformed';
      }
    }
    if (problem !== undefined) {
      if (persist.exitOnErr) {
        await listener.close();
        upstream.close();
        throw agentError('AGENT_CACHE_RESTORE', { path: persist.path, reason: problem });
      }
      deps.logger.warn({ path: persist.path, reason: problem }, 'cache: cannot restore the persisted cache; starting empty');
    }
  }
  return { listener, upstream, metrics, restoredToken };
}

function dependencyKeys(templates: ReadonlyArray<LoadedTemplate>): Set<string> {
  const keys = new Set<string>();
  for (const template of templates) for (const key of template.dependencies) keys.add(key);
  return keys;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
