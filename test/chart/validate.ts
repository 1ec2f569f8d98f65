// Validation of rendered objects against the Kubernetes schemas, two ways:
// 1. kubernetes-models: the OpenAPI schema of each built-in kind (types, required fields, enums,
//    formats), picked by apiVersion and kind.
// 2. unknown fields: kubernetes-models does not reject fields the schema does not know (a typo such
//    as `readOnlyRootFileSystem` would pass), so every object is also walked against the attribute
//    maps of @kubernetes/client-node's generated models, which list each kind's fields.
// CRDs (cert-manager, prometheus-operator) have no schema in either library; their few fields that
// the chart sets are checked by hand in checkCustomResource.
// kubectl's client-side validation is not used: `kubectl apply --dry-run=client` downloads the
// OpenAPI document from an API server and fails without one, and none runs here.
import * as clientNode from '@kubernetes/client-node';
import type { KubeObject } from './helm.ts';

interface ValidatableModel { validate(): void }
type ModelClass = new (data: unknown) => ValidatableModel;

async function modelClass(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  // kubernetes-models lays its modules out by apiVersion: kubernetes-models/apps/v1, kubernetes-models/v1, ...
  let module: Record<string, unknown>;
  try {
    module = (await import(`kubernetes-models/${apiVersion}`)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const candidate = module[kind];
  return typeof candidate === 'function' ? (candidate as ModelClass) : undefined;
}

export const customResourceKinds = new Set(['cert-manager.io/v1 Issuer', 'cert-manager.io/v1 Certificate', 'monitoring.coreos.com/v1 ServiceMonitor']);

/** Problems of one object; [] when it is valid. */
export async function validateObject(object: KubeObject): Promise<string[]> {
  const id = `${object.kind}/${object.metadata?.name}`;
  const key = `${object.apiVersion} ${object.kind}`;
  if (customResourceKinds.has(key)) return checkCustomResource(object).map((problem) => `${id}: ${problem}`);
  const Model = await modelClass(object.apiVersion, object.kind);
  if (Model === undefined) return [`${id}: no schema for ${key} in kubernetes-models`];
  const problems: string[] = [];
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push(`${id}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const typeName = `${versionPrefix(object.apiVersion)}${object.kind}`;
  for (const problem of unknownFields(object, typeName, '')) problems.push(`${id}: ${problem}`);
  return problems;
}

function versionPrefix(apiVersion: string): string {
  const version = apiVersion.split('/').pop() ?? '';
  return version.charAt(0).toUpperCase() + version.slice(1);
}

interface AttributeType { baseName: string; type: string }
type ModelWithAttributes = { getAttributeTypeMap(): AttributeType[] };

function attributesOf(typeName: string): AttributeType[] | undefined {
  const candidate = (clientNode as unknown as Record<string, unknown>)[typeName];
  if (typeof candidate !== 'function' || !('getAttributeTypeMap' in candidate)) return undefined;
  return (candidate as unknown as ModelWithAttributes).getAttributeTypeMap();
}

function unknownFields(value: unknown, typeName: string, path: string): string[] {
  const arrayMatch = /^Array<(.+)>$/.exec(typeName);
  if (arrayMatch !== null) {
    if (!Array.isArray(value)) return [];
    return value.flatMap((item, index) => unknownFields(item, arrayMatch[1] ?? '', `${path}[${index}]`));
  }
  const mapMatch = /^\{ \[key: string\]: (.+); \}$/.exec(typeName);
  if (mapMatch !== null) {
    if (value === null || typeof value !== 'object') return [];
    return Object.entries(value).flatMap(([key, item]) => unknownFields(item, mapMatch[1] ?? '', `${path}.${key}`));
  }
  const attributes = attributesOf(typeName);
  if (attributes === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const known = new Map(attributes.map((attribute) => [attribute.baseName, attribute.type]));
  const problems: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const fieldType = known.get(key);
    if (fieldType === undefined) problems.push(`${path === '' ? '' : `${path.slice(1)}.`}${key}: unknown field of ${typeName}`);
    else problems.push(...unknownFields(item, fieldType, `${path}.${key}`));
  }
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const goDuration = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

/** Minimal structural checks of the custom resources the chart renders (no schema library has them). */
export function checkCustomResource(object: KubeObject): string[] {
  const problems: string[] = [];
  const spec = object['spec'];
  if (typeof object.metadata?.name !== 'string' || object.metadata.name === '') problems.push('metadata.name is missing');
  if (!isRecord(spec)) return [...problems, 'spec is missing'];
  const stringField = (field: string, value: unknown): void => {
    if (typeof value !== 'string' || value === '') problems.push(`${field} must be a non-empty string`);
  };
  switch (object.kind) {
    case 'Issuer': {
      const types = ['selfSigned', 'ca', 'acme', 'vault', 'venafi'].filter((type) => type in spec);
      if (types.length !== 1) problems.push(`spec must have exactly one issuer type, has ${types.length}`);
      if ('ca' in spec) stringField('spec.ca.secretName', isRecord(spec['ca']) ? spec['ca']['secretName'] : undefined);
      if ('selfSigned' in spec && !isRecord(spec['selfSigned'])) problems.push('spec.selfSigned must be a mapping');
      break;
    }
    case 'Certificate': {
      stringField('spec.secretName', spec['secretName']);
      const issuerRef = spec['issuerRef'];
      if (!isRecord(issuerRef)) problems.push('spec.issuerRef must be a mapping');
      else {
        stringField('spec.issuerRef.name', issuerRef['name']);
        if (!['Issuer', 'ClusterIssuer'].includes(String(issuerRef['kind']))) problems.push('spec.issuerRef.kind must be Issuer or ClusterIssuer');
      }
      const names = spec['dnsNames'];
      if (spec['isCA'] !== true && (!Array.isArray(names) || names.length === 0 || !names.every((name) => typeof name === 'string' && name !== ''))) {
        problems.push('spec.dnsNames must be a non-empty list of names');
      }
      for (const field of ['duration', 'renewBefore']) {
        if (field in spec && !goDuration.test(String(spec[field]))) problems.push(`spec.${field} must be a duration`);
      }
      const known = new Set(['secretName', 'issuerRef', 'dnsNames', 'ipAddresses', 'commonName', 'duration', 'renewBefore', 'isCA', 'privateKey', 'usages']);
      for (const key of Object.keys(spec)) if (!known.has(key)) problems.push(`spec.${key}: unexpected field`);
      break;
    }
    case 'ServiceMonitor': {
      const endpoints = spec['endpoints'];
      if (!Array.isArray(endpoints) || endpoints.length === 0) problems.push('spec.endpoints must be a non-empty list');
      else for (const [index, endpoint] of endpoints.entries()) {
        if (!isRecord(endpoint)) problems.push(`spec.endpoints[${index}] must be a mapping`);
        else {
          stringField(`spec.endpoints[${index}].port`, endpoint['port']);
          if (!['http', 'https'].includes(String(endpoint['scheme']))) problems.push(`spec.endpoints[${index}].scheme must be http or https`);
        }
      }
      if (!isRecord(spec['selector'])) problems.push('spec.selector must be a mapping');
      break;
    }
    default:
      problems.push(`no structural check for ${object.kind}`);
  }
  return problems;
}
