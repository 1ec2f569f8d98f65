// Pod + settings → InjectionSpec, or every problem found (each naming its annotation and reason).
// Reads values through the single table (table.ts); resolves them against the pod: containers,
// service account token, file destinations.
import { posix } from 'node:path';
import type { InjectorSettings } from '../settings.ts';
import { annotationKey, annotationProblem, problem, ANNOTATION_PREFIX } from '../errors.ts';
import type { AdmissionProblem } from '../errors.ts';
import { annotations as table, authConfigKeys, secretDiscoveryPrefixes, unsupportedAnnotations } from './table.ts';
import type { AuthType } from './table.ts';
import type { AnnotationDefinition } from './table.ts';
import type { Container, Pod, VolumeMount } from '../pod.ts';
import type { AgentMode, InjectionSpec, SecretSpec } from '../spec.ts';
import { findServiceAccountToken } from './service-account.ts';
import { telemetryFieldSchemas } from '../../agent/src/config/schema.ts';
import { AGENT_HOME } from '../agent-config.ts';
import { CONFIG_PATH, EXTRA_SECRETS_PATH, TLS_SECRETS_PATH } from '../containers/volumes.ts';

export const DEFAULT_MAP_TEMPLATE = (path: string): string =>
  `{{ with secret "${path}" }}{{ range $k, $v := .Data }}{{ $k }}: {{ $v }}\n{{ end }}{{ end }}`;
export const DEFAULT_JSON_TEMPLATE = (path: string): string => `{{ with secret "${path}" }}{{ .Data | toJSON }}\n{{ end }}`;

export type ParseResult = { ok: true; spec: InjectionSpec } | { ok: false; problems: AdmissionProblem[] };

/**
 * Full keys of the pod-wide annotations, built once: a key concatenated per lookup is a new string
 * that must be hashed (and flattened) every time, ~60 times per pod.
 */
const podKeys = new Map<string, string>();
function keyOf(name: string): string {
  let key = podKeys.get(name);
  if (key === undefined) {
    key = annotationKey(name);
    podKeys.set(name, key);
  }
  return key;
}

class AnnotationReader {
  readonly problems: AdmissionProblem[] = [];
  constructor(readonly values: Readonly<Record<string, string>>, readonly settings: InjectorSettings) {}

  /** For pod-wide names only (table constants): their keys are kept. */
  has(name: string): boolean {
    return this.values[keyOf(name)] !== undefined;
  }

  /** The parsed value, the default when absent, or the default plus a recorded problem. */
  read<T>(definition: AnnotationDefinition<T>, secretName?: string): T {
    const name = secretName === undefined ? definition.name : `${definition.name}${secretName}`;
    const raw = this.values[secretName === undefined ? keyOf(name) : annotationKey(name)];
    if (raw === undefined) return definition.fallback(this.settings);
    const parsed = definition.parse(raw, this.settings);
    if (parsed.ok) return parsed.value;
    this.problems.push(annotationProblem('VI_ANNOTATION_INVALID', name, parsed.reason));
    return definition.fallback(this.settings);
  }

  /** Like read, but undefined when absent (for per-secret values that fall back to a pod-wide one). */
  readIfPresent<T>(definition: AnnotationDefinition<T>, secretName: string): T | undefined {
    return this.values[annotationKey(`${definition.name}${secretName}`)] !== undefined ? this.read(definition, secretName) : undefined;
  }
}

/** Only the `vault.hashicorp.com/` annotations (what tenancy sees and the spec carries). */
export function vaultAnnotations(all: Readonly<Record<string, string>>): Record<string, string> {
  const selected: Record<string, string> = {};
  for (const [key, value] of Object.entries(all)) if (key.startsWith(ANNOTATION_PREFIX)) selected[key] = value;
  return selected;
}

/** The secret NAMEs, as vault-k8s discovers them: any non-blank secret, template-file or template annotation. */
function discoverSecretNames(values: Readonly<Record<string, string>>): string[] {
  const names = new Set<string>();
  for (const [key, value] of Object.entries(values)) {
    if (!key.startsWith(ANNOTATION_PREFIX) || value.trim() === '') continue;
    const name = key.slice(ANNOTATION_PREFIX.length);
    for (const definition of secretDiscoveryPrefixes) {
      if (name.startsWith(definition.name)) {
        const secretName = name.slice(definition.name.length);
        if (secretName !== '') names.add(secretName);
        break;
      }
    }
  }
  // Code-unit order, so the agent config is the same for the same annotations (vault-k8s: map order).
  return [...names].sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));
}

function checkUnsupported(values: Readonly<Record<string, string>>, reader: AnnotationReader): void {
  for (const [key, value] of Object.entries(values)) {
    if (!key.startsWith(ANNOTATION_PREFIX)) continue;
    const name = key.slice(ANNOTATION_PREFIX.length);
    const entry = unsupportedAnnotations.find((candidate) => (candidate.isPrefix ? name.startsWith(candidate.name) : name === candidate.name));
    if (entry !== undefined && !entry.inert(value)) {
      reader.problems.push(annotationProblem('VI_ANNOTATION_UNSUPPORTED', name, `not supported by vault-injector: ${entry.reason}`));
    }
  }
}

/**
 * The auth-config-KEY annotations besides role and token-path, as vault-k8s reads them (`-` becomes `_`, values stay
 * strings), checked against the keys the method reads: Vault Agent ignores a key its method does not know, we refuse it.
 */
function readAuthConfig(values: Readonly<Record<string, string>>, authType: AuthType, reader: AnnotationReader): Record<string, string> {
  const config: Record<string, string> = {};
  const prefix = table.authConfig.name;
  const accepted = authConfigKeys[authType];
  const acceptedText = ['role', 'token-path', ...Object.keys(accepted).map((key) => key.replaceAll('_', '-'))].join(', ');
  const from = new Map<string, string>();
  for (const key of Object.keys(values).sort()) {
    const name = key.slice(ANNOTATION_PREFIX.length);
    if (!key.startsWith(ANNOTATION_PREFIX) || !name.startsWith(prefix) || name === table.authConfigRole.name || name === table.authConfigTokenPath.name) continue;
    const raw = values[key] ?? '';
    if (raw.trim() === '') continue; // asks for nothing, as before
    const param = name.slice(prefix.length).replaceAll('-', '_');
    const check = accepted[param];
    if (param === 'role' || param === 'token_path') {
      reader.problems.push(annotationProblem('VI_ANNOTATION_INVALID', name, `sets the same key as ${annotationKey(param === 'role' ? table.authConfigRole.name : table.authConfigTokenPath.name)}; use that one`));
    } else if (check === undefined) {
      reader.problems.push(annotationProblem('VI_ANNOTATION_UNSUPPORTED', name, `the ${authType} auth method has no config key ${JSON.stringify(param)} (auth-config-KEY accepts ${acceptedText})`));
    } else if (from.has(param)) {
      reader.problems.push(annotationProblem('VI_ANNOTATION_INVALID', name, `sets the same key ${JSON.stringify(param)} as ${annotationKey(from.get(param) ?? '')}`));
    } else {
      const parsed = check(raw);
      if (!parsed.ok) reader.problems.push(annotationProblem('VI_ANNOTATION_INVALID', name, parsed.reason));
      else {
        config[param] = parsed.value;
        from.set(param, name);
      }
    }
  }
  return config;
}

/**
 * auth-type jwt logs in with the service account token unless auth-config-path names another file. Vault Agent's jwt
 * method would delete the file it read (remove_jwt_after_reading defaults to true), which for the service account
 * token is never wanted (and fails on its read-only volume): so that default is false here.
 */
function withJwtDefaults(authType: AuthType, config: Record<string, string>, serviceAccountToken: string): Record<string, string> {
  if (authType !== 'jwt' || config['path'] !== undefined) return config;
  return { path: serviceAccountToken, remove_jwt_after_reading: 'false', ...config };
}

/** Vault Agent's metrics go to these push sinks; ours only serves the Prometheus endpoint. */
const TELEMETRY_PUSH_SINK = /^(statsite_|statsd_|circonus_|dogstatsd_|stackdriver_)/;

/**
 * agent-telemetry-PARAM annotations → the telemetry stanza (vault-k8s's telemetryConfig: `-` to
 * `_`, JSON-decoded when it decodes). Where vault-k8s drops an unknown key, or the whole stanza
 * when a value has the wrong type, we refuse the pod and name the annotation.
 */
function readTelemetry(values: Readonly<Record<string, string>>, reader: AnnotationReader): Record<string, unknown> | undefined {
  const prefix = `${ANNOTATION_PREFIX}${table.telemetry.name}`;
  const stanza: Record<string, unknown> = {};
  let found = false;
  for (const key of Object.keys(values).sort()) {
    if (!key.startsWith(prefix)) continue;
    const suffix = key.slice(prefix.length);
    const param = suffix.replaceAll('-', '_');
    const name = `${table.telemetry.name}${suffix}`;
    if (TELEMETRY_PUSH_SINK.test(param)) {
      reader.problems.push(annotationProblem('VI_ANNOTATION_UNSUPPORTED', name, `not supported by vault-injector: ${param} configures a metrics push sink; the agent serves Prometheus metrics on its listener (/agent/v1/metrics), scrape those instead`));
      continue;
    }
    const field = telemetryFieldSchemas[param];
    if (field === undefined) {
      reader.problems.push(annotationProblem('VI_ANNOTATION_INVALID', name, `${JSON.stringify(param)} is not a telemetry parameter (${Object.keys(telemetryFieldSchemas).join(', ')})`));
      continue;
    }
    const value = reader.read(table.telemetry, suffix);
    const checked = field.safeParse(value);
    if (!checked.success) {
      reader.problems.push(annotationProblem('VI_ANNOTATION_INVALID', name, checked.error.issues[0]?.message ?? 'has the wrong type'));
      continue;
    }
    stanza[param] = value;
    found = true;
  }
  return found ? stanza : undefined;
}

function destinationOf(name: string, fileName: string, mountPath: string, file: string | undefined, reader: AnnotationReader): string | undefined {
  if (file === undefined) {
    if (fileName === '.' || fileName === '..') {
      reader.problems.push(annotationProblem('VI_FILE_ESCAPES_VOLUME', `${table.secretPath.name}${name}`, `the file name ${JSON.stringify(fileName)} is not a file inside ${mountPath}`));
      return undefined;
    }
    return `${mountPath}/${fileName}`;
  }
  const destination = posix.join(mountPath, file);
  if (!destination.startsWith(mountPath === '/' ? '/' : `${mountPath}/`) || destination === mountPath) {
    reader.problems.push(annotationProblem('VI_FILE_ESCAPES_VOLUME', `${table.file.name}${name}`, `${JSON.stringify(file)} would write ${destination}, outside the volume mounted at ${mountPath}`));
    return undefined;
  }
  return destination;
}

function readSecrets(values: Readonly<Record<string, string>>, reader: AnnotationReader, globals: { volumePath: string; preserveCase: boolean; defaultTemplate: 'map' | 'json' }): SecretSpec[] {
  const secrets: SecretSpec[] = [];
  for (const name of discoverSecretNames(values)) {
    const path = reader.read(table.secretPath, name);
    const inline = reader.read(table.template, name);
    const templateFile = reader.read(table.templateFile, name);
    const mountPath = reader.readIfPresent(table.secretVolumePathOf, name) ?? globals.volumePath;
    const preserveCase = reader.readIfPresent(table.preserveSecretCaseOf, name) ?? globals.preserveCase;
    const fileName = preserveCase ? name : name.toLowerCase();
    const destination = destinationOf(name, fileName, mountPath, reader.read(table.file, name), reader);
    if (destination === undefined) continue;

    const secret: SecretSpec = {
      name,
      templateAnnotation: annotationKey(`${table.secretPath.name}${name}`),
      mountPath,
      destination,
      isDefaultTemplate: false,
      leftDelimiter: reader.read(table.leftDelimiter, name),
      rightDelimiter: reader.read(table.rightDelimiter, name),
      errorOnMissingKey: reader.read(table.errorOnMissingKey, name),
    };
    if (path.trim() !== '') secret.path = path;
    if (inline.trim() !== '') {
      secret.contents = inline;
      secret.templateAnnotation = annotationKey(`${table.template.name}${name}`);
    } else if (templateFile.trim() !== '') {
      secret.source = templateFile;
      secret.templateAnnotation = annotationKey(`${table.templateFile.name}${name}`);
    } else {
      secret.contents = globals.defaultTemplate === 'json' ? DEFAULT_JSON_TEMPLATE(path) : DEFAULT_MAP_TEMPLATE(path);
      secret.isDefaultTemplate = true;
    }
    const perms = reader.read(table.perms, name);
    if (perms !== undefined) secret.perms = perms;
    const command = reader.read(table.command, name);
    if (command !== undefined) secret.command = command;
    secrets.push(secret);
  }
  return secrets;
}

function resolveMode(prePopulate: boolean, prePopulateOnly: boolean, native: boolean, reader: AnnotationReader): AgentMode {
  if (prePopulateOnly && !prePopulate) {
    reader.problems.push(annotationProblem('VI_ANNOTATION_INVALID', table.prePopulateOnly.name, `is true while ${annotationKey(table.prePopulate.name)} is false: no agent would run`));
  }
  if (prePopulateOnly) return 'init-only';
  if (!prePopulate) return 'sidecar-only';
  return native ? 'native-sidecar' : 'init-and-sidecar';
}

function copiedMounts(pod: Pod, containerName: string | undefined, reader: AnnotationReader): VolumeMount[] {
  if (containerName === undefined) return [];
  const all: Container[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const source = all.find((container) => container.name === containerName);
  if (source === undefined) {
    reader.problems.push(annotationProblem('VI_CONTAINER_NOT_FOUND', table.copyVolumeMounts.name, `the pod has no container or init container named ${JSON.stringify(containerName)}`));
    return [];
  }
  return (source.volumeMounts ?? []).filter((mount) => !mount.mountPath.toLowerCase().includes('serviceaccount')).map((mount) => ({ ...mount }));
}

function securityIdentity(pod: Pod, reader: AnnotationReader): { runAsUser: number; runAsGroup: number } | undefined {
  const explicitUserSettings = [table.runAsUser, table.runAsGroup, table.runAsSameUser].some((definition) => reader.has(definition.name));
  const setContext = reader.has(table.setSecurityContext.name)
    ? reader.read(table.setSecurityContext)
    : reader.settings.setSecurityContext || explicitUserSettings; // vault-k8s: asking for a uid turns it on
  let runAsUser = reader.read(table.runAsUser);
  const runAsGroup = reader.read(table.runAsGroup);
  if (reader.read(table.runAsSameUser)) {
    const first = pod.spec?.containers[0];
    const uid = first?.securityContext?.runAsUser;
    if (uid === undefined) {
      reader.problems.push(annotationProblem('VI_RUN_AS_SAME_USER', table.runAsSameUser.name, `the first container (${first?.name ?? '?'}) sets no securityContext.runAsUser`));
    } else if (uid === 0) {
      reader.problems.push(annotationProblem('VI_RUN_AS_SAME_USER', table.runAsSameUser.name, `the first container (${first?.name ?? '?'}) runs as root (runAsUser 0); the agent may not`));
    } else {
      runAsUser = uid;
    }
  }
  return setContext ? { runAsUser, runAsGroup } : undefined;
}

function resources(reader: AnnotationReader): InjectionSpec['resources'] {
  const pick = (entries: Array<[string, string | undefined]>): Record<string, string> => {
    const selected: Record<string, string> = {};
    for (const [key, value] of entries) if (value !== undefined) selected[key] = value;
    return selected;
  };
  return {
    limits: pick([['cpu', reader.read(table.limitsCpu)], ['memory', reader.read(table.limitsMem)], ['ephemeral-storage', reader.read(table.limitsEphemeral)]]),
    requests: pick([['cpu', reader.read(table.requestsCpu)], ['memory', reader.read(table.requestsMem)], ['ephemeral-storage', reader.read(table.requestsEphemeral)]]),
  };
}

function checkDestinations(secrets: ReadonlyArray<SecretSpec>, tokenFile: string | undefined, reader: AnnotationReader): void {
  const owners = new Map<string, string>();
  if (tokenFile !== undefined) owners.set(tokenFile, annotationKey(table.injectToken.name));
  for (const secret of secrets) {
    const owner = owners.get(secret.destination);
    if (owner !== undefined) {
      reader.problems.push(problem('VI_FILE_ESCAPES_VOLUME', `annotation ${secret.templateAnnotation}: writes ${secret.destination}, which ${owner} already writes`));
    } else {
      owners.set(secret.destination, secret.templateAnnotation);
    }
  }
}

/**
 * Reads every annotation of the pod (through the table) with the injector's defaults and resolves
 * it against the pod. `namespace` is the request's namespace.
 */
export function parseAnnotations(pod: Pod, namespace: string, settings: InjectorSettings): ParseResult {
  // The string-valued `vault.hashicorp.com/` annotations, in one pass.
  const values: Record<string, string> = {};
  const given: Record<string, unknown> = pod.metadata?.annotations ?? {};
  for (const key in given) {
    if (!Object.prototype.hasOwnProperty.call(given, key) || !key.startsWith(ANNOTATION_PREFIX)) continue;
    const value = given[key];
    if (typeof value === 'string') values[key] = value;
  }
  const reader = new AnnotationReader(values, settings);
  checkUnsupported(values, reader);

  const authType = reader.read(table.authType);
  const role = reader.has(table.role.name) ? reader.read(table.role) : (reader.read(table.authConfigRole) ?? '');
  const configMap = reader.read(table.configMap);
  // As vault-k8s: with a ConfigMap the agent's config (and its role) is the user's own.
  if (configMap === undefined && role === '' && !reader.problems.some((entry) => entry.message.includes(annotationKey(table.role.name)))) {
    reader.problems.push(annotationProblem('VI_ANNOTATION_REQUIRED', table.role.name, `is required: the Vault ${authType === 'jwt' ? 'JWT' : 'Kubernetes'} auth role the agent logs in with`));
  }
  const authConfig = readAuthConfig(values, authType, reader);

  const containerNames = (pod.spec?.containers ?? []).map((container) => container.name);
  const requested = reader.read(table.injectContainers);
  const injectContainers = requested ?? containerNames;
  for (const name of injectContainers) {
    if (!containerNames.includes(name)) {
      reader.problems.push(annotationProblem('VI_CONTAINER_NOT_FOUND', table.injectContainers.name, `the pod has no container named ${JSON.stringify(name)} (it has ${containerNames.map((entry) => JSON.stringify(entry)).join(', ')})`));
    }
  }

  const secretVolumePath = reader.read(table.secretVolumePath);
  const secrets = readSecrets(values, reader, {
    volumePath: secretVolumePath,
    preserveCase: reader.read(table.preserveSecretCase),
    defaultTemplate: reader.read(table.defaultTemplate),
  });
  const injectToken = reader.read(table.injectToken);
  checkDestinations(secrets, injectToken ? `${secretVolumePath}/token` : undefined, reader);
  const customVolumePaths: string[] = [];
  for (const secret of secrets) {
    if (secret.mountPath !== secretVolumePath && !customVolumePaths.includes(secret.mountPath)) customVolumePaths.push(secret.mountPath);
  }

  const serviceAccountVolume = reader.read(table.serviceAccountTokenVolumeName);
  const serviceAccount = findServiceAccountToken(pod, serviceAccountVolume);
  if (!serviceAccount.ok) reader.problems.push(serviceAccount.problem);
  const tokenPathOverride = reader.read(table.authConfigTokenPath);

  const mode = resolveMode(reader.read(table.prePopulate), reader.read(table.prePopulateOnly), reader.read(table.nativeSidecar), reader);
  if (configMap !== undefined && mode === 'native-sidecar') {
    // The native sidecar's startup probe waits for the ready file the generated config names; a user's HCL has none.
    reader.problems.push(annotationProblem('VI_ANNOTATION_INVALID', table.configMap.name, `cannot be used with ${annotationKey(table.nativeSidecar.name)}: the native sidecar's startup probe needs the generated config; use the init container and sidecar`));
  }
  const shareProcessNamespace = reader.read(table.shareProcessNamespace);
  if (shareProcessNamespace === true && pod.spec?.shareProcessNamespace === false) {
    reader.problems.push(annotationProblem('VI_SHARE_PROCESS_NAMESPACE', table.shareProcessNamespace.name, 'is true but the pod sets shareProcessNamespace: false; refusing to enable it'));
  }

  const copiedVolumeMounts = copiedMounts(pod, reader.read(table.copyVolumeMounts), reader);
  const reserved = new Set([AGENT_HOME, secretVolumePath, ...customVolumePaths, EXTRA_SECRETS_PATH, TLS_SECRETS_PATH, ...(configMap !== undefined ? [CONFIG_PATH] : []),
    ...(serviceAccount.ok ? [serviceAccount.token.mountPath] : [])]);
  for (const mount of copiedVolumeMounts) {
    if (reserved.has(mount.mountPath)) {
      reader.problems.push(annotationProblem('VI_NAME_CONFLICT', table.copyVolumeMounts.name, `the copied mount ${JSON.stringify(mount.name)} at ${mount.mountPath} collides with a path the agent containers already mount`));
    }
  }

  const spec: InjectionSpec = {
    namespace,
    annotations: values,
    role,
    authPath: reader.read(table.authPath),
    autoAuthExitOnErr: reader.read(table.autoAuthExitOnErr),
    vault: {
      address: reader.read(table.service),
      tlsSkipVerify: reader.read(table.tlsSkipVerify),
    },
    serviceAccount: serviceAccount.ok ? serviceAccount.token : { volumeName: '', mountPath: '', tokenFile: '' },
    tokenPath: tokenPathOverride ?? (serviceAccount.ok ? serviceAccount.token.tokenFile : ''),
    ...(configMap !== undefined ? { configMap } : {}),
    authType,
    authConfig: withJwtDefaults(authType, authConfig, tokenPathOverride ?? (serviceAccount.ok ? serviceAccount.token.tokenFile : '')),
    image: reader.read(table.image),
    resources: resources(reader),
    mode,
    initFirst: reader.read(table.initFirst),
    injectContainers,
    injectToken,
    secretVolumePath,
    customVolumePaths,
    secrets,
    revokeOnShutdown: reader.read(table.revokeOnShutdown),
    revokeGrace: reader.read(table.revokeGrace),
    copiedVolumeMounts,
    jsonPatch: reader.read(table.jsonPatch),
    initJsonPatch: reader.read(table.initJsonPatch),
    templateConfig: { exitOnRetryFailure: reader.read(table.exitOnRetryFailure) },
    disableIdleConnections: reader.read(table.disableIdleConnections),
    disableKeepAlives: reader.read(table.disableKeepAlives),
    logLevel: reader.read(table.logLevel),
    logFormat: reader.read(table.logFormat),
    agentCache: {
      enabled: reader.read(table.cacheEnable),
      useAutoAuthToken: reader.read(table.cacheUseAutoAuthToken),
      listenerPort: reader.read(table.cacheListenerPort),
      exitOnErr: reader.read(table.cacheExitOnErr),
    },
    enableQuit: reader.read(table.enableQuit),
  };
  const optional = <K extends string, V>(target: Partial<Record<K, V>>, key: K, value: V | undefined): void => {
    if (value !== undefined) target[key] = value;
  };
  optional(spec, 'vaultNamespace', reader.read(table.vaultNamespace));
  optional(spec, 'authMinBackoff', reader.read(table.authMinBackoff));
  optional(spec, 'authMaxBackoff', reader.read(table.authMaxBackoff));
  optional(spec.vault, 'caCert', reader.read(table.caCert));
  optional(spec.vault, 'caPath', reader.read(table.caKey));
  optional(spec.vault, 'tlsServerName', reader.read(table.tlsServerName));
  optional(spec.vault, 'clientCert', reader.read(table.clientCert));
  optional(spec.vault, 'clientKey', reader.read(table.clientKey));
  optional(spec.vault, 'caCertBytes', settings.vaultCaCertBytes);
  optional(spec.vault, 'proxyAddress', reader.read(table.proxyAddress));
  optional(spec.vault, 'clientTimeout', reader.read(table.clientTimeout));
  optional(spec.vault, 'clientMaxRetries', reader.read(table.clientMaxRetries));
  optional(spec, 'goMaxProcs', reader.read(table.goMaxProcs));
  optional(spec, 'securityContext', securityIdentity(pod, reader));
  optional(spec, 'shareProcessNamespace', shareProcessNamespace);
  optional(spec, 'tlsSecret', reader.read(table.tlsSecret));
  optional(spec, 'extraSecret', reader.read(table.extraSecret));
  optional(spec.templateConfig, 'staticSecretRenderInterval', reader.read(table.staticSecretRenderInterval));
  optional(spec.templateConfig, 'leaseRenewalThreshold', reader.read(table.leaseRenewalThreshold));
  optional(spec.templateConfig, 'maxConnectionsPerHost', reader.read(table.maxConnectionsPerHost));
  optional(spec, 'telemetry', readTelemetry(values, reader));

  return reader.problems.length > 0 ? { ok: false, problems: reader.problems } : { ok: true, spec };
}
