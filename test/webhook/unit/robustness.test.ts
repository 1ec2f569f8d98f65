// Every annotation of the table with hostile values: the pipeline never throws, always answers with
// a well-formed response, and whatever it injects is a valid pod (schema) whose patch applies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { Pod as PodModel } from 'kubernetes-models/v1';
import { handleAdmissionReview } from '../../../src/admission/review.ts';
import { annotations as table } from '../../../src/annotations/table.ts';
import type { Pod } from '../../../src/pod.ts';
import { makePod, settings } from './helpers.ts';

const values = ['', ' ', 'true', 'false', '0', '-1', '{{', '}}', '../../x', '/', 'null', '[]', '{"op":1}', 'x'.repeat(5000), '\u0000\n\t', 'é/ü', '1e309', 'NaN'];

test('hostile annotation values never crash the pipeline; injected pods are valid', () => {
  const config = settings();
  let injected = 0;
  let denied = 0;
  for (const definition of Object.values(table)) {
    const key = definition.scope === 'secret' ? `${definition.name}name` : definition.name;
    for (const value of values) {
      const pod = makePod({ 'agent-inject-secret-name': 'secret/data/x', [key]: value });
      const body = { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u', kind: { group: '', version: 'v1', kind: 'Pod' }, namespace: 'team-a', operation: 'CREATE', object: pod } };
      const outcome = handleAdmissionReview(body, config);
      const label = `${key}=${JSON.stringify(value.slice(0, 20))}`;
      assert.equal(outcome.httpStatus, 200, label);
      const response = (outcome.body as { response: { uid: string; allowed: boolean; patch?: string; status?: { message: string } } }).response;
      assert.equal(response.uid, 'u', label);
      if (outcome.decision === 'denied') {
        denied += 1;
        assert.equal(response.allowed, false, label);
        assert.match(response.status?.message ?? '', /vault\.hashicorp\.com\//, `${label}: a denial names its annotation`);
        continue;
      }
      if (outcome.decision === 'skipped') continue; // agent-inject itself set to false
      injected += 1;
      assert.equal(outcome.decision, 'injected', label);
      const operations = JSON.parse(Buffer.from(response.patch ?? '', 'base64').toString('utf8')) as Operation[];
      const result = jsonpatch.applyPatch(structuredClone(pod), operations, true, false).newDocument as Pod;
      new PodModel(result as ConstructorParameters<typeof PodModel>[0]).validate();
    }
  }
  assert.ok(injected > 100 && denied > 100, `both outcomes exercised (${injected} injected, ${denied} denied)`);
});
