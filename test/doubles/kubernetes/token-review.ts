// `POST /apis/authentication.k8s.io/v1/tokenreviews` as kube-apiserver answers it for service
// account tokens, so that a real OpenBao's Kubernetes auth method can review the tokens this
// double issues. Shapes follow authentication.k8s.io/v1: `authenticated` is omitted when false
// (Go's omitempty), an unknown or revoked token gets `status.error`, and audiences intersect.
import { ServiceAccountIssuer, readServiceAccountJwt } from '../vault/service-account-jwt.ts';

export const TOKEN_REVIEW_PATH = '/apis/authentication.k8s.io/v1/tokenreviews';
const DEFAULT_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';

export interface TokenReviewAnswer {
  code: number;
  body: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function reviewToken(issuer: ServiceAccountIssuer, review: unknown): TokenReviewAnswer {
  // kube-apiserver takes the type from the URL: clients such as OpenBao's send no kind/apiVersion.
  if (!isObject(review) || (review['kind'] !== undefined && review['kind'] !== 'TokenReview') || !isObject(review['spec'])) {
    return { code: 400, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'TokenReview in version "v1" cannot be handled as a TokenReview: the body is not a TokenReview', reason: 'BadRequest', code: 400 } };
  }
  const spec = review['spec'];
  const token = typeof spec['token'] === 'string' ? spec['token'] : '';
  const wanted = Array.isArray(spec['audiences']) ? spec['audiences'].filter((entry): entry is string => typeof entry === 'string') : [];
  const answer = (status: Record<string, unknown>): TokenReviewAnswer => ({
    code: 201,
    body: { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status },
  });
  if (token === '') {
    return { code: 422, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'TokenReview.authentication.k8s.io "" is invalid: spec.token: Required value', reason: 'Invalid', details: { group: 'authentication.k8s.io', kind: 'TokenReview', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.token' }] }, code: 422 } };
  }
  const identity = readServiceAccountJwt(token);
  if (identity === undefined || !issuer.review(token, identity)) {
    return answer({ user: {}, error: '[invalid bearer token, service account token has been invalidated]' });
  }
  const audiences = wanted.length === 0 ? identity.aud.filter((audience) => audience === DEFAULT_AUDIENCE) : wanted.filter((audience) => identity.aud.includes(audience));
  if (audiences.length === 0) {
    return answer({ user: {}, error: `[invalid bearer token, token audiences ${JSON.stringify(identity.aud)} is invalid for the target audiences ${JSON.stringify(wanted.length === 0 ? [DEFAULT_AUDIENCE] : wanted)}]` });
  }
  return answer({
    authenticated: true,
    user: {
      username: `system:serviceaccount:${identity.namespace}:${identity.name}`,
      uid: identity.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${identity.namespace}`, 'system:authenticated'],
    },
    audiences,
  });
}
