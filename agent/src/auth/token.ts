// The token lifecycle, as Vault Agent's auto-auth runs it: log in with the service-account JWT
// (re-read on every attempt), write the token to the sinks, renew-self at about 2/3 of the TTL
// (with jitter), and log in again when renewal stops extending the token, the token is not
// renewable, or Vault answers 403 (revoked/expired). Network failures while renewing are retried
// with backoff until the token would expire, then a new login is tried.
import type { Logger } from 'pino';
import { agentError, describeVaultErrors, type AgentError } from '../errors.ts';
import { fileErrorReason } from '../config/load.ts';
import type { SecretRegistry } from '../logger.ts';
import { backoffDelay, planRenewal, renewalGraceMs } from '../timing.ts';
import { VaultFailure, type VaultClient } from '../vault/client.ts';
import { writeFileAtomic, ensureMode } from '../files/atomic.ts';
import { describeServiceAccount, serviceAccountOf, type JwtSource } from './jwt.ts';

export interface TokenKeeperOptions {
  client: VaultClient;
  logger: Logger;
  secrets: SecretRegistry;
  address: string;
  loginPath: string;
  role: string;
  /** Where each login's JWT comes from (the kubernetes or the jwt method). */
  jwt: JwtSource;
  /** How messages name the method: "Kubernetes" or "JWT". */
  methodName: string;
  sinks: ReadonlyArray<{ path: string; mode: number }>;
  minBackoffMs: number;
  maxBackoffMs: number;
  now: () => number;
  random: () => number;
  /** A login after the first (the old token's leases died with it). */
  onNewToken: () => void;
  /** Every login attempt's outcome (telemetry, the listener's auto-auth token). */
  onLoginResult?: (result: { ok: true; token: string } | { ok: false }) => void;
  /** Every renewal's outcome (Vault Agent counts a renewal as an auth success, a failed one as a failure). */
  onRenewResult?: (ok: boolean) => void;
}

export class TokenKeeper {
  private token: string | undefined;
  private expiresAtMs = 0;
  private graceMs = 0;
  private renewFailures = 0;
  private renewable = true;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private keeping = false;
  private reloginRunning: Promise<void> | undefined;
  private logins = 0;

  constructor(private readonly options: TokenKeeperOptions) {}

  get hasToken(): boolean {
    return this.token !== undefined;
  }

  /** The token the agent holds now (for the listener's use_auto_auth_token). */
  get currentToken(): string | undefined {
    return this.token;
  }

  /** One login attempt. Throws an AgentError saying why it failed (retryable or not). */
  async login(): Promise<void> {
    const { client, logger } = this.options;
    const jwt = await this.options.jwt.read();
    this.options.secrets.add(jwt);
    const identity = serviceAccountOf(jwt);
    try {
      const answer = await client.login(this.options.loginPath, this.options.role, jwt);
      this.options.secrets.add(answer.token);
      this.token = answer.token;
      this.logins += 1;
      const leaseMs = answer.leaseDurationSeconds * 1000;
      this.expiresAtMs = this.options.now() + leaseMs;
      this.graceMs = renewalGraceMs(leaseMs, this.options.random());
      this.renewFailures = 0;
      this.renewable = answer.renewable;
      logger.info(
        { role: this.options.role, serviceAccount: describeServiceAccount(identity), ttlSeconds: answer.leaseDurationSeconds, renewable: answer.renewable, policies: answer.policies },
        'logged in to Vault',
      );
      this.options.onLoginResult?.({ ok: true, token: answer.token });
      await this.writeSinks(answer.token);
      if (this.keeping) this.scheduleRenewal(answer.renewable);
      if (this.logins > 1) this.options.onNewToken();
    } catch (error) {
      if (!(error instanceof VaultFailure)) throw error;
      this.options.onLoginResult?.({ ok: false });
      throw this.loginError(error, describeServiceAccount(identity));
    }
  }

  /**
   * The sidecar's start with a restored persistent cache: the init agent's token, checked with
   * lookup-self as Vault Agent's auth handler checks a token it was handed. Valid: it is the
   * agent's token from now on (no login, so the leases read with it stay the app's). Returns
   * false when Vault refuses it or cannot say; the caller then logs in as usual.
   */
  async adopt(candidate: string): Promise<boolean> {
    const { client, logger } = this.options;
    this.options.secrets.add(candidate);
    client.setToken(candidate);
    try {
      const answer = await client.lookupSelf();
      const data = (answer.body as { data?: { ttl?: unknown; renewable?: unknown } } | null)?.data;
      const ttlSeconds = typeof data?.ttl === 'number' && data.ttl > 0 ? data.ttl : 0;
      this.token = candidate;
      this.logins += 1;
      this.expiresAtMs = ttlSeconds > 0 ? this.options.now() + ttlSeconds * 1000 : 0;
      this.graceMs = renewalGraceMs(ttlSeconds * 1000, this.options.random());
      this.renewFailures = 0;
      this.renewable = data?.renewable === true;
      logger.info({ ttlSeconds, renewable: this.renewable }, 'using the token restored from the persistent cache');
      this.options.onLoginResult?.({ ok: true, token: candidate });
      await this.writeSinks(candidate);
      if (this.keeping) this.scheduleRenewal(this.renewable);
      return true;
    } catch (error) {
      if (!(error instanceof VaultFailure)) throw error;
      client.setToken(undefined);
      logger.info({ status: error.status, reason: error.networkReason ?? describeVaultErrors(error.vaultErrors) }, 'the token restored from the persistent cache is not valid; logging in');
      return false;
    }
  }

  private loginError(error: VaultFailure, serviceAccount: string): AgentError {
    if (error.unreachable) return agentError('AGENT_VAULT_UNREACHABLE', { address: this.options.address, reason: error.networkReason ?? 'no answer' }, { retryable: true });
    return agentError(
      'AGENT_LOGIN_DENIED',
      { address: this.options.address, method: this.options.methodName, loginPath: this.options.loginPath, role: this.options.role, serviceAccount, status: error.status, vaultError: describeVaultErrors(error.vaultErrors) },
      // A refused login can heal (the role or binding gets fixed, Vault recovers): keep retrying.
      { retryable: true },
    );
  }

  private async writeSinks(token: string): Promise<void> {
    for (const sink of this.options.sinks) {
      try {
        await writeFileAtomic(sink.path, token, { mode: sink.mode, fallbackMode: sink.mode, createDirs: true });
        await ensureMode(sink.path, sink.mode);
      } catch (error) {
        const failure = agentError('AGENT_SINK_WRITE', { sink: sink.path, reason: fileErrorReason(error) });
        this.options.logger.error({ code: failure.code, sink: sink.path }, failure.message);
      }
    }
  }

  /** Sidecar: keep the token alive from now on (renewals and re-logins in the background). */
  keep(): void {
    this.keeping = true;
    this.options.jwt.watch?.(() => {
      if (!this.stopped) void this.relogin();
    });
    if (this.token !== undefined) this.scheduleRenewal(this.renewable);
  }

  stop(): void {
    this.stopped = true;
    this.options.jwt.stop?.();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** A secret request found the token dead: log in again (once, however many callers ask). */
  relogin(): Promise<void> {
    if (this.reloginRunning !== undefined) return this.reloginRunning;
    this.reloginRunning = this.loginUntilSuccess().finally(() => {
      this.reloginRunning = undefined;
    });
    return this.reloginRunning;
  }

  async revoke(): Promise<void> {
    if (this.token === undefined) return;
    await this.options.client.revokeSelf();
    this.options.logger.info('revoked the Vault token');
    this.token = undefined;
  }

  private scheduleRenewal(renewable: boolean): void {
    if (this.stopped) return;
    const remainingMs = this.expiresAtMs - this.options.now();
    // A token with no TTL (lease_duration 0) never expires: nothing to renew.
    if (this.expiresAtMs === 0 || remainingMs <= 0 && this.graceMs === 0) return;
    const plan = renewable ? planRenewal(remainingMs, this.graceMs) : ({ action: 'replace' } as const);
    if (plan.action === 'renew') {
      this.setTimer(plan.afterMs, () => this.renew());
    } else {
      // Not renewable, or at its max TTL: log in again shortly before it expires.
      this.setTimer(Math.max(0, remainingMs - this.graceMs), () => this.relogin());
    }
  }

  private async renew(): Promise<void> {
    const { client, logger } = this.options;
    try {
      const renewed = await client.renewSelf();
      if (this.stopped) return;
      this.options.onRenewResult?.(true);
      this.renewFailures = 0;
      this.expiresAtMs = this.options.now() + renewed.leaseDurationSeconds * 1000;
      logger.debug({ ttlSeconds: renewed.leaseDurationSeconds }, 'renewed the Vault token');
      this.scheduleRenewal(renewed.renewable);
    } catch (error) {
      if (this.stopped) return;
      const failure = error instanceof VaultFailure ? error : new VaultFailure({ status: 0, networkReason: 'request failed' });
      this.options.onRenewResult?.(false);
      if (failure.unreachable && this.options.now() < this.expiresAtMs) {
        this.renewFailures += 1;
        const delay = Math.min(backoffDelay(this.renewFailures - 1, this.options.minBackoffMs, this.options.maxBackoffMs, this.options.random()), Math.max(0, this.expiresAtMs - this.options.now()));
        logger.warn({ reason: failure.networkReason, retryInMs: delay }, 'token renewal failed; will retry');
        this.setTimer(delay, () => this.renew());
        return;
      }
      logger.warn({ status: failure.status, reason: failure.networkReason ?? describeVaultErrors(failure.vaultErrors) }, 'token renewal refused; logging in again');
      await this.relogin();
    }
  }

  private async loginUntilSuccess(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      try {
        await this.login();
        return;
      } catch (error) {
        const delay = backoffDelay(attempt, this.options.minBackoffMs, this.options.maxBackoffMs, this.options.random());
        attempt += 1;
        const message = error instanceof Error && 'code' in error ? error.message : 'login failed';
        this.options.logger.warn({ code: (error as { code?: string }).code, attempt, retryInMs: delay }, message);
        await new Promise<void>((resolve) => this.setTimer(delay, async () => resolve()));
      }
    }
  }

  private setTimer(delayMs: number, action: () => Promise<void>): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void action();
    }, Math.max(0, delayMs));
  }
}
