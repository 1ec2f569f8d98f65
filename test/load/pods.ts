// The mixed admissions of the load suite: plain pods (passed through), annotated pods (injected:
// init + sidecar with two templates) and pods that must be denied (a template that does not parse,
// a system namespace). Each carries a unique uid so every answer is matched to its request.
export type Expect = 'skipped' | 'injected' | 'denied';

const tokenVolume = { name: 'kube-api-access-x1', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }], defaultMode: 420 } };
const tokenMount = { name: 'kube-api-access-x1', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };

function pod(index: number, annotations: Record<string, string>): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { generateName: 'web-7d9f-', namespace: 'team-a', labels: { app: 'web', n: String(index) }, annotations },
    spec: {
      serviceAccountName: 'web',
      volumes: [tokenVolume],
      containers: [{ name: 'web', image: 'registry.example/web:1.4.2', ports: [{ containerPort: 8080 }], volumeMounts: [tokenMount], resources: { requests: { cpu: '100m', memory: '64Mi' } } }],
    },
  };
}

const injected = {
  'vault.hashicorp.com/agent-inject': 'true',
  'vault.hashicorp.com/role': 'web',
  'vault.hashicorp.com/agent-inject-secret-db': 'database/creds/web',
  'vault.hashicorp.com/agent-inject-template-db': '{{- with secret "database/creds/web" -}}postgres://{{ .Data.username }}:{{ .Data.password }}@db:5432/app{{- end }}',
  'vault.hashicorp.com/agent-inject-secret-config.json': 'secret/data/web/config',
  'vault.hashicorp.com/agent-inject-template-config.json': '{{ with secret "secret/data/web/config" }}{{ .Data.data | toJSON }}{{ end }}',
};

export function review(index: number): { body: string; uid: string; expect: Expect } {
  const uid = `load-${index.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
  let object: Record<string, unknown>;
  let expect: Expect;
  let namespace = 'team-a';
  switch (index % 4) {
    case 0:
      object = pod(index, { 'prometheus.io/scrape': 'true' });
      expect = 'skipped';
      break;
    case 1:
    case 2:
      object = pod(index, injected);
      expect = 'injected';
      break;
    default:
      if (index % 8 === 3) {
        object = pod(index, { ...injected, 'vault.hashicorp.com/agent-inject-template-db': '{{ with secret "database/creds/web" }}{{ .Data.username }' });
      } else {
        object = pod(index, injected);
        namespace = 'kube-system';
      }
      expect = 'denied';
  }
  const body = JSON.stringify({
    apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
    request: {
      uid, kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' },
      requestKind: { group: '', version: 'v1', kind: 'Pod' }, namespace, operation: 'CREATE',
      userInfo: { username: 'system:serviceaccount:kube-system:replicaset-controller', groups: ['system:serviceaccounts'] },
      object, dryRun: false, options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
    },
  });
  return { body, uid, expect };
}

/** What a correct answer to `expect` looks like; undefined when it is right, else what is wrong. */
export function checkAnswer(status: number, text: string, uid: string, expect: Expect): string | undefined {
  if (status !== 200) return `HTTP ${status}`;
  let parsed: { apiVersion?: string; kind?: string; response?: { uid?: string; allowed?: boolean; patch?: string; status?: { code?: number } } };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return 'body is not JSON';
  }
  const response = parsed.response;
  if (parsed.kind !== 'AdmissionReview' || parsed.apiVersion !== 'admission.k8s.io/v1' || response === undefined) return 'not an AdmissionReview';
  if (response.uid !== uid) return `uid ${String(response.uid)} answered for ${uid}`;
  if (expect === 'denied') return response.allowed === false && response.status?.code === 403 ? undefined : 'expected a denial';
  if (response.allowed !== true) return 'expected allowed';
  if (expect === 'injected' && typeof response.patch !== 'string') return 'expected a patch';
  if (expect === 'skipped' && response.patch !== undefined) return 'expected no patch';
  return undefined;
}
