// Admission-time template validation: every inline and default template is parsed with the
// agent's own engine and consul-template's function signatures, so a syntax error refuses the pod
// (`annotation NAME: template: NAME:LINE:COL: reason`) instead of leaving it in Init:Error.
// The parse trees also give the literal Vault paths each template reads, for the tenancy check,
// and the literal writeToFile paths, which must lie inside the pod's secrets volume(s).
// Parsing is pure, and every replica of a Deployment carries the same templates, so what a parse
// yields (its secret calls or its error text) is kept in a bounded LRU keyed by everything the
// result depends on: template name, delimiters and text.
import { parseTemplate, secretCallsIn, TemplateError, writeToFileCallsIn, type FileWriteCall } from '../../agent/src/template/index.ts';
import { checkWritePath } from '../../agent/src/files/write-rule.ts';
import { parseOnlyFunctions, stdoutFunctionsIn, stdoutReason, unavailableFunctionsIn, unavailableReason } from '../../agent/src/template/functions/index.ts';
import { problem } from '../errors.ts';
import type { AdmissionProblem } from '../errors.ts';
import type { InjectionSpec, SecretSpec } from '../spec.ts';
import { BoundedCache } from './lru.ts';

export interface SecretPathUse {
  annotation: string;
  /** null: the path is not a literal string. */
  path: string | null;
  /** Set for template calls, whose use the parse tree shows; an agent-inject-secret-* value has none. */
  operation?: 'read' | 'write' | 'list';
}

export type TemplateCheck = { ok: true; secretPaths: SecretPathUse[] } | { ok: false; problems: AdmissionProblem[] };

type ParseOutcome = { ok: true; calls: ReadonlyArray<{ path: string | null; operation: 'read' | 'write' | 'list' }>; fileWrites: readonly FileWriteCall[] } | { ok: false; code: 'VI_TEMPLATE_PARSE' | 'VI_TEMPLATE_UNAVAILABLE_FUNCTION' | 'VI_TEMPLATE_STDOUT_FUNCTION'; reason: string };

/** Entries kept; texts above CACHED_TEXT_MAX_CHARS are parsed every time, so the cache stays under ~16 MB. */
export const TEMPLATE_CACHE_ENTRIES = 512;
const CACHED_TEXT_MAX_CHARS = 32 * 1024;
const parsedTemplates = new BoundedCache<ParseOutcome>(TEMPLATE_CACHE_ENTRIES);

function parseOnce(name: string, text: string, leftDelim: string, rightDelim: string): ParseOutcome {
  try {
    const template = parseTemplate(text, parseOnlyFunctions, { name, leftDelim, rightDelim });
    // consul-template parses these, but under Vault Agent the template would never render
    const unavailable = unavailableFunctionsIn(template)[0];
    if (unavailable !== undefined) {
      return { ok: false, code: 'VI_TEMPLATE_UNAVAILABLE_FUNCTION', reason: `template: ${name}:${unavailable.line}:${unavailable.column}: ${unavailableReason(unavailable.name, unavailable.service)}` };
    }
    // consul-template renders these, but they would print the values they are given to our log
    const stdout = stdoutFunctionsIn(template)[0];
    if (stdout !== undefined) {
      return { ok: false, code: 'VI_TEMPLATE_STDOUT_FUNCTION', reason: `template: ${name}:${stdout.line}:${stdout.column}: ${stdoutReason(stdout.name)}` };
    }
    return { ok: true, calls: secretCallsIn(template).map((call) => ({ path: call.path, operation: call.operation })), fileWrites: writeToFileCallsIn(template) };
  } catch (error) {
    return { ok: false, code: 'VI_TEMPLATE_PARSE', reason: error instanceof TemplateError ? error.message : 'the template could not be parsed' };
  }
}

function parsed(secret: SecretSpec, text: string): ParseOutcome {
  if (text.length > CACHED_TEXT_MAX_CHARS) return parseOnce(secret.name, text, secret.leftDelimiter, secret.rightDelimiter);
  // NUL cannot appear in an annotation key (the name), and the lengths make the key unambiguous.
  const key = `${secret.name.length}:${secret.leftDelimiter.length}:${secret.rightDelimiter.length}:${secret.name}${secret.leftDelimiter}${secret.rightDelimiter}${text}`;
  let outcome = parsedTemplates.get(key);
  if (outcome === undefined) {
    outcome = parseOnce(secret.name, text, secret.leftDelimiter, secret.rightDelimiter);
    parsedTemplates.set(key, outcome);
  }
  return outcome;
}

export function checkTemplates(spec: InjectionSpec): TemplateCheck {
  const problems: AdmissionProblem[] = [];
  const secretPaths: SecretPathUse[] = [];
  for (const secret of spec.secrets) {
    if (secret.path !== undefined) secretPaths.push({ annotation: `vault.hashicorp.com/agent-inject-secret-${secret.name}`, path: secret.path });
    if (secret.contents === undefined) continue; // a template file lives in the agent container: not visible here
    const outcome = parsed(secret, secret.contents);
    if (!outcome.ok) {
      problems.push(problem(outcome.code, `annotation ${secret.templateAnnotation}: ${outcome.reason}`));
      continue;
    }
    // a literal writeToFile path must lie inside the secrets volume(s); others are checked by the agent
    const volumes = [spec.secretVolumePath, ...spec.customVolumePaths];
    for (const write of outcome.fileWrites) {
      if (write.path === null) continue;
      const check = checkWritePath(write.path, volumes);
      if (!check.ok) problems.push(problem('VI_TEMPLATE_WRITE_OUTSIDE_VOLUME', `annotation ${secret.templateAnnotation}: template: ${secret.name}:${write.line}:${write.column}: ${check.reason}`));
    }
    if (secret.isDefaultTemplate) continue; // its one call reads secret.path, listed above
    for (const call of outcome.calls) {
      // A plain `secret` read keeps no operation: any capability on the path is enough, as before.
      secretPaths.push({ annotation: secret.templateAnnotation, path: call.path, ...(call.operation === 'read' ? {} : { operation: call.operation }) });
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, secretPaths };
}
