// ACL policy store: `root` is implicit and immutable, `default` exists from the start.
import { Acl, type EntityView } from './acl.ts';
import { defaultPolicyText, parsePolicy, type PolicyPathRule } from './policy-hcl.ts';
import { responseWrappingPolicyText } from './wrapping.ts';

interface StoredPolicy {
  name: string;
  text: string;
  rules: PolicyPathRule[];
}

export type PolicyWriteResult = { ok: true } | { ok: false; error: string };

export class PolicyStore {
  private readonly policies = new Map<string, StoredPolicy>();

  constructor() {
    for (const [name, text] of [['default', defaultPolicyText], ['response-wrapping', responseWrappingPolicyText]] as const) {
      const parsed = parsePolicy(text);
      if (!parsed.ok) throw new Error(`built-in ${name} policy does not parse: ${parsed.error}`);
      this.policies.set(name, { name, text, rules: parsed.rules });
    }
  }

  write(rawName: string, text: string): PolicyWriteResult {
    const name = rawName.trim().toLowerCase();
    if (name === '') return { ok: false, error: 'policy name must be provided' };
    if (name === 'root' || name === 'response-wrapping') return { ok: false, error: `cannot update ${JSON.stringify(name)} policy` };
    const parsed = parsePolicy(text);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    this.policies.set(name, { name, text, rules: parsed.rules });
    return { ok: true };
  }

  read(name: string): { name: string; text: string } | undefined {
    const policy = this.policies.get(name.toLowerCase());
    return policy === undefined ? undefined : { name: policy.name, text: policy.text };
  }

  delete(rawName: string): PolicyWriteResult {
    const name = rawName.toLowerCase();
    if (name === 'root') return { ok: false, error: 'cannot delete "root" policy' };
    if (name === 'default') return { ok: false, error: 'cannot delete "default" policy' };
    if (name === 'response-wrapping') return { ok: false, error: 'cannot delete "response-wrapping" policy' };
    this.policies.delete(name);
    return { ok: true };
  }

  /** Names as `sys/policies/acl` LIST returns them (root included, as Vault does). */
  names(): string[] {
    // response-wrapping is internal (not assignable) and Vault does not list it.
    return [...this.policies.keys(), 'root'].filter((name) => name !== 'response-wrapping').sort();
  }

  acl(policyNames: readonly string[], entity: EntityView | undefined): Acl {
    const rules: PolicyPathRule[][] = [];
    for (const name of policyNames) {
      const policy = this.policies.get(name);
      if (policy !== undefined) rules.push(policy.rules);
    }
    return new Acl(rules, entity);
  }
}
