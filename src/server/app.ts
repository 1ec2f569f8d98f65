/**
 * The fastify application: routes, body handling and per-admission accounting. It knows nothing
 * of certificates or Kubernetes; `main.ts` gives it a TLS server and the admission function.
 */
import { performance } from 'node:perf_hooks';
import { fastify } from 'fastify';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { Http2SecureServer, SecureServerOptions } from 'node:http2';
import type { Logger } from '../logger.ts';
import type { InjectorMetrics } from '../metrics.ts';
import type { AdmissionOutcome } from '../admission/review.ts';

/** What the pure admission pipeline returns; the server only transports it. */
export type AdmissionResult = AdmissionOutcome;

export type AdmitFunction = (requestBody: unknown) => AdmissionResult;

/**
 * The Kubernetes API server refuses request bodies above 3 MiB and stores objects of at most
 * 1.5 MiB; an AdmissionReview is one object (two for UPDATE) plus a small envelope. 4 MiB admits
 * every review the API server can send and bounds what a stray client can make us buffer.
 */
export const DEFAULT_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/** The catalog code (src/errors.ts) for a body that is not an AdmissionReview we can read. */
const REVIEW_INVALID = 'VI_REVIEW_INVALID';

export interface AppOptions {
  https: SecureServerOptions;
  admit: AdmitFunction;
  logger: Logger;
  metrics: InjectorMetrics;
  isReady(): boolean;
  bodyLimitBytes?: number;
  /** A second path for the metrics (vault-k8s's -telemetry-path); /metrics is always served. */
  telemetryPath?: string;
}

interface AdmissionAccount {
  startedAt: number;
  result: AdmissionResult | undefined;
  problem: { code: string; status: number } | undefined;
}

const accounts = new WeakMap<object, AdmissionAccount>();

/** A 400-class answer for a request body fastify could not hand to us; the message says what was wrong. */
function transportProblem(error: FastifyError, bodyLimit: number): { status: number; message: string } {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, message: 'Invalid content-type: an AdmissionReview must be sent as application/json' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, message: 'Empty request body: expected an AdmissionReview' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, message: `Request body too large: an AdmissionReview may be at most ${bodyLimit} bytes` };
    case 'FST_ERR_CTP_INVALID_TYPE':
      return { status: 400, message: 'Invalid content-type header' };
    default:
      break;
  }
  if (error instanceof SyntaxError || error.statusCode === 400) {
    return { status: 400, message: 'Malformed JSON body: expected an AdmissionReview' };
  }
  return { status: 500, message: 'Internal error while reading the request' };
}

function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

export function buildApp(options: AppOptions): FastifyInstance<Http2SecureServer> {
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const app = fastify({
    http2: true,
    // The API server multiplexes its admissions over one HTTP/2 connection; nghttp2 refuses new
    // streams once a session buffers more than maxSessionMemory (10 MB by default), which a burst
    // of large pods reaches. 64 MB holds 16 requests at the 4 MiB body limit.
    https: { maxSessionMemory: 64, ...options.https, allowHTTP1: true },
    logger: false,
    bodyLimit,
    // Idle HTTP/2 sessions (the API server keeps one per webhook) close after 72 s, like idle
    // HTTP/1.1 keep-alive connections (fastify's keepAliveTimeout default).
    http2SessionTimeout: 72_000,
    return503OnClosing: true,
  });

  const { logger, metrics } = options;
  // Only application/json is an AdmissionReview (vault-k8s: "Invalid content-type"); without this,
  // fastify's built-in text/plain parser would hand a string body to the handler.
  app.removeContentTypeParser('text/plain');

  // Hooks and the /mutate handler are synchronous (callback style): an async function costs a
  // promise and a microtask turn each, three per admission, for work that never waits.
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.url === '/mutate' || request.url.startsWith('/mutate?')) {
      accounts.set(request, { startedAt: performance.now(), result: undefined, problem: undefined });
      metrics.requestStarted();
    }
    done();
  });

  app.addHook('onResponse', (request, reply, done) => {
    const account = accounts.get(request);
    if (account === undefined) {
      done();
      return;
    }
    const durationMs = performance.now() - account.startedAt;
    const result = account.result;
    const injected = result?.decision === 'injected' ? result.injectionType : undefined;
    const decision = result?.decision ?? 'invalid';
    metrics.requestFinished({ durationMs, namespace: result?.namespace, injected, failed: decision === 'denied' || decision === 'invalid' });
    // Identifiers only: annotation values, pod specs and bodies never reach the log.
    logger.info({
      uid: result?.uid,
      namespace: result?.namespace,
      pod: result?.podName,
      decision,
      ...(injected !== undefined ? { injectionType: injected } : {}),
      ...(result?.errorCode !== undefined ? { errorCode: result.errorCode } : {}),
      ...(account.problem !== undefined ? { errorCode: account.problem.code } : {}),
      status: reply.statusCode,
      durationMs: Math.round(durationMs * 1000) / 1000,
    }, 'admission');
    done();
  });

  app.post('/mutate', (request, reply) => {
    const account = accounts.get(request);
    const contentType = request.headers['content-type'];
    if (typeof contentType !== 'string' || !/^application\/json\s*(;|$)/i.test(contentType)) {
      if (account !== undefined) account.problem = { code: REVIEW_INVALID, status: 400 };
      void reply.code(400).send(errorBody(REVIEW_INVALID, 'Invalid content-type: an AdmissionReview must be sent as application/json'));
      return;
    }
    if (request.body === undefined || request.body === null) {
      if (account !== undefined) account.problem = { code: REVIEW_INVALID, status: 400 };
      void reply.code(400).send(errorBody(REVIEW_INVALID, 'Empty request body: expected an AdmissionReview'));
      return;
    }
    let result: AdmissionResult;
    try {
      result = options.admit(request.body);
    } catch {
      // The admission pipeline is total; should it ever throw, answer without leaking the exception text.
      if (account !== undefined) account.problem = { code: 'VI_INTERNAL', status: 500 };
      void reply.code(500).send(errorBody('VI_INTERNAL', 'Internal error while processing the AdmissionReview'));
      return;
    }
    if (account !== undefined) account.result = result;
    // Sent here, nothing returned: a sync handler's return value would be sent a second time.
    void reply.code(result.httpStatus).send(result.body);
  });

  app.get('/health/ready', async (_request, reply) => {
    if (!options.isReady()) return reply.code(503).send({ status: 'not ready' });
    return reply.code(200).send({ status: 'ready' });
  });

  const metricsPaths = ['/metrics'];
  if (options.telemetryPath !== undefined && !['/metrics', '/mutate', '/health/ready'].includes(options.telemetryPath)) metricsPaths.push(options.telemetryPath);
  for (const path of metricsPaths) {
    app.get(path, async (_request, reply) => {
      const { contentType, text } = await metrics.render();
      return reply.code(200).header('content-type', contentType).send(text);
    });
  }

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = transportProblem(error, bodyLimit);
    const account = accounts.get(request);
    const code = problem.status === 500 ? 'VI_INTERNAL' : REVIEW_INVALID;
    if (account !== undefined) account.problem = { code, status: problem.status };
    if (problem.status === 500) logger.error({ errorCode: code, fastifyCode: error.code }, 'request failed');
    void reply.code(problem.status).send(errorBody(code, problem.message));
  });

  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(errorBody('VI_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0] ?? ''}: the webhook serves POST /mutate, GET /health/ready and GET /metrics`));
  });

  return app;
}
