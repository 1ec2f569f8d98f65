// Admission-time template validation: every inline and default template is parsed with the
// agent's own engine and consul-template's function signatures, so a syntax error refuses the pod
// (`annotation NAME: template: NAME:LINE:COL: reason`) instead of leaving it in Init:Error.
// The parse trees also give the literal Vault paths each template reads, for the tenancy check.
import { parseTemplate, secretCallsIn, TemplateError } from '../../agent/src/template/index.ts';
import { parseOnlyFunctions } from '../../agent/src/template/functions/index.ts';
import { problem } from '../errors.ts';
import type { AdmissionProblem } from '../errors.ts';
import type { InjectionSpec } from '../spec.ts';

export interface SecretPathUse {
  annotation: string;
  /** null: the path is not a literal string. */
  path: string | null;
  operation?: 'write';
}

export type TemplateCheck = { ok: true; secretPaths: SecretPathUse[] } | { ok: false; problems: AdmissionProblem[] };

export function checkTemplates(spec: InjectionSpec): TemplateCheck {
  const problems: AdmissionProblem[] = [];
  const secretPaths: SecretPathUse[] = [];
  for (const secret of spec.secrets) {
    if (secret.path !== undefined) secretPaths.push({ annotation: `vault.hashicorp.com/agent-inject-secret-${secret.name}`, path: secret.path });
    if (secret.contents === undefined) continue; // a template file lives in the agent container: not visible here
    try {
      const template = parseTemplate(secret.contents, parseOnlyFunctions, {
        name: secret.name, leftDelim: secret.leftDelimiter, rightDelim: secret.rightDelimiter,
      });
      if (secret.isDefaultTemplate) continue; // its one call reads secret.path, listed above
      for (const call of secretCallsIn(template)) {
        secretPaths.push({ annotation: secret.templateAnnotation, path: call.path, ...(call.isWrite ? { operation: 'write' as const } : {}) });
      }
    } catch (error) {
      const reason = error instanceof TemplateError ? error.message : 'the template could not be parsed';
      problems.push(problem('VI_TEMPLATE_PARSE', `annotation ${secret.templateAnnotation}: ${reason}`));
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, secretPaths };
}
