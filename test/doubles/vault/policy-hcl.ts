// Parses the subset of HCL that Vault ACL policies use:
//   path "secret/data/app/*" { capabilities = ["read", "list"] }
// Other attributes inside a path block (allowed_parameters, min_wrapping_ttl, ...) are accepted and
// ignored. Errors name the line so a test author sees what was wrong.

export const knownCapabilities = ['create', 'read', 'update', 'delete', 'list', 'sudo', 'deny', 'patch', 'subscribe', 'recover'] as const;
export type Capability = (typeof knownCapabilities)[number];

export interface PolicyPathRule {
  /** The path pattern as written (may contain `+`, a trailing `*`, and `{{identity...}}` templates). */
  pattern: string;
  capabilities: Capability[];
}

export type PolicyParseResult = { ok: true; rules: PolicyPathRule[] } | { ok: false; error: string };

type Token =
  | { kind: 'string'; value: string; line: number }
  | { kind: 'ident'; value: string; line: number }
  | { kind: 'number'; value: string; line: number }
  | { kind: 'punct'; value: string; line: number };

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (ch === '\n') {
      line++;
      i++;
    } else if (/\s/.test(ch)) i++;
    else if (ch === '#' || (ch === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return `line ${line}: unterminated comment`;
      for (let j = i; j < end; j++) if (text[j] === '\n') line++;
      i = end + 2;
    } else if (ch === '"') {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\n') return `line ${line}: unterminated string`;
        if (text[j] === '\\' && j + 1 < text.length) {
          const escaped = text[j + 1] ?? '';
          value += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped;
          j += 2;
        } else {
          value += text[j];
          j++;
        }
      }
      if (j >= text.length) return `line ${line}: unterminated string`;
      tokens.push({ kind: 'string', value, line });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i));
      const value = match?.[0] ?? ch;
      tokens.push({ kind: 'ident', value, line });
      i += value.length;
    } else if (/[-0-9]/.test(ch)) {
      const match = /^-?[0-9][0-9a-z.]*/.exec(text.slice(i));
      const value = match?.[0] ?? ch;
      tokens.push({ kind: 'number', value, line });
      i += value.length;
    } else if ('{}[]=,:'.includes(ch)) {
      tokens.push({ kind: 'punct', value: ch, line });
      i++;
    } else return `line ${line}: unexpected character ${JSON.stringify(ch)}`;
  }
  return tokens;
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}
  peek(): Token | undefined {
    return this.tokens[this.index];
  }
  next(): Token | undefined {
    return this.tokens[this.index++];
  }
  expectPunct(value: string): void {
    const token = this.next();
    if (token?.kind !== 'punct' || token.value !== value) throw new PolicySyntaxError(`${where(token)}: expected ${JSON.stringify(value)}`);
  }
  /** A value: string, number, bool/ident, list or object. */
  value(): unknown {
    const token = this.next();
    if (token === undefined) throw new PolicySyntaxError('unexpected end of policy');
    if (token.kind === 'string' || token.kind === 'number' || token.kind === 'ident') return token.value;
    if (token.value === '[') {
      const items: unknown[] = [];
      for (;;) {
        const peeked = this.peek();
        if (peeked?.kind === 'punct' && peeked.value === ']') {
          this.next();
          return items;
        }
        items.push(this.value());
        const after = this.peek();
        if (after?.kind === 'punct' && after.value === ',') this.next();
      }
    }
    if (token.value === '{') return this.body();
    throw new PolicySyntaxError(`${where(token)}: unexpected ${JSON.stringify(token.value)}`);
  }
  /** Attributes and nested blocks until `}` (the `{` is consumed by the caller). */
  body(): Record<string, unknown> {
    const attributes: Record<string, unknown> = {};
    for (;;) {
      const token = this.next();
      if (token === undefined) throw new PolicySyntaxError('unexpected end of policy: missing "}"');
      if (token.kind === 'punct' && token.value === '}') return attributes;
      if (token.kind === 'punct' && token.value === ',') continue;
      if (token.kind !== 'ident' && token.kind !== 'string') throw new PolicySyntaxError(`${where(token)}: expected an attribute name`);
      const after = this.peek();
      if (after?.kind === 'punct' && (after.value === '=' || after.value === ':')) {
        this.next();
        attributes[token.value] = this.value();
      } else if (after?.kind === 'punct' && after.value === '{') {
        this.next();
        attributes[token.value] = this.body();
      } else throw new PolicySyntaxError(`${where(after)}: expected "=" after ${JSON.stringify(token.value)}`);
    }
  }
  atEnd(): boolean {
    return this.index >= this.tokens.length;
  }
}

class PolicySyntaxError extends Error {}

function where(token: Token | undefined): string {
  return token === undefined ? 'at end of policy' : `line ${token.line}`;
}

export function parsePolicy(text: string): PolicyParseResult {
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return { ok: false, error: `failed to parse policy: ${tokens}` };
  const parser = new Parser(tokens);
  const rules: PolicyPathRule[] = [];
  try {
    while (!parser.atEnd()) {
      const keyword = parser.next();
      if (keyword?.kind !== 'ident') throw new PolicySyntaxError(`${where(keyword)}: expected a "path" block`);
      if (keyword.value !== 'path') {
        // Top-level attributes such as `name = "x"` are legal HCL and ignored by Vault.
        const after = parser.peek();
        if (after?.kind === 'punct' && after.value === '=') {
          parser.next();
          parser.value();
          continue;
        }
        throw new PolicySyntaxError(`line ${keyword.line}: invalid key ${JSON.stringify(keyword.value)}`);
      }
      const pathToken = parser.next();
      if (pathToken?.kind !== 'string') throw new PolicySyntaxError(`${where(pathToken)}: expected the quoted path after "path"`);
      parser.expectPunct('{');
      const attributes = parser.body();
      const rule = toRule(pathToken.value, attributes, pathToken.line);
      rules.push(rule);
    }
  } catch (error) {
    if (error instanceof PolicySyntaxError) return { ok: false, error: `failed to parse policy: ${error.message}` };
    throw error;
  }
  return { ok: true, rules };
}

function toRule(rawPath: string, attributes: Record<string, unknown>, line: number): PolicyPathRule {
  const pattern = rawPath.replace(/^\//, '');
  if (pattern.includes('+*')) throw new PolicySyntaxError(`line ${line}: path ${JSON.stringify(rawPath)}: "+*" is not allowed`);
  const star = pattern.indexOf('*');
  if (star >= 0 && star !== pattern.length - 1) {
    throw new PolicySyntaxError(`line ${line}: path ${JSON.stringify(rawPath)}: "*" is only allowed as the last character`);
  }
  const raw = attributes['capabilities'];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : undefined;
  if (list === undefined) throw new PolicySyntaxError(`line ${line}: path ${JSON.stringify(rawPath)}: capabilities must be a list`);
  const capabilities: Capability[] = [];
  for (const item of list) {
    if (typeof item !== 'string' || !(knownCapabilities as readonly string[]).includes(item)) {
      throw new PolicySyntaxError(`line ${line}: path ${JSON.stringify(rawPath)}: invalid capability ${JSON.stringify(item)}`);
    }
    capabilities.push(item as Capability);
  }
  // The deprecated `policy = "read"` form maps to capability sets.
  const legacy = attributes['policy'];
  if (typeof legacy === 'string') {
    const mapped: Record<string, Capability[]> = {
      deny: ['deny'],
      read: ['read', 'list'],
      write: ['create', 'read', 'update', 'delete', 'list'],
      sudo: ['create', 'read', 'update', 'delete', 'list', 'sudo'],
    };
    const extra = mapped[legacy];
    if (extra === undefined) throw new PolicySyntaxError(`line ${line}: path ${JSON.stringify(rawPath)}: invalid policy ${JSON.stringify(legacy)}`);
    capabilities.push(...extra);
  }
  return { pattern, capabilities };
}

/** Vault's built-in `default` policy (vault/policy_store.go defaultPolicy, and the policies.mdx copy). */
export const defaultPolicyText = `
# Allow tokens to look up their own properties
path "auth/token/lookup-self" {
    capabilities = ["read"]
}

# Allow tokens to renew themselves
path "auth/token/renew-self" {
    capabilities = ["update"]
}

# Allow tokens to revoke themselves
path "auth/token/revoke-self" {
    capabilities = ["update"]
}

# Allow a token to look up its own capabilities on a path
path "sys/capabilities-self" {
    capabilities = ["update"]
}

# Allow a token to look up its own entity by id or name
path "identity/entity/id/{{identity.entity.id}}" {
  capabilities = ["read"]
}
path "identity/entity/name/{{identity.entity.name}}" {
  capabilities = ["read"]
}

# Allow a token to look up its resultant ACL from all policies. This is useful
# for UIs. It is an internal path because the format may change at any time
# based on how the internal ACL features and capabilities change.
path "sys/internal/ui/resultant-acl" {
    capabilities = ["read"]
}

# Allow a token to renew a lease via lease_id in the request body; old path for
# old clients, new path for newer
path "sys/renew" {
    capabilities = ["update"]
}
path "sys/leases/renew" {
    capabilities = ["update"]
}

# Allow looking up lease properties. This requires knowing the lease ID ahead
# of time and does not divulge any sensitive information.
path "sys/leases/lookup" {
    capabilities = ["update"]
}

# Allow a token to manage its own cubbyhole
path "cubbyhole/*" {
    capabilities = ["create", "read", "update", "delete", "list"]
}

# Allow a token to wrap arbitrary values in a response-wrapping token
path "sys/wrapping/wrap" {
    capabilities = ["update"]
}

# Allow a token to look up the creation time and TTL of a given
# response-wrapping token
path "sys/wrapping/lookup" {
    capabilities = ["update"]
}

# Allow a token to unwrap a response-wrapping token. This is a convenience to
# avoid client token swapping since this is also part of the response wrapping
# policy.
path "sys/wrapping/unwrap" {
    capabilities = ["update"]
}

# Allow general purpose tools
path "sys/tools/hash" {
    capabilities = ["update"]
}
path "sys/tools/hash/*" {
    capabilities = ["update"]
}

# Allow checking the status of a Control Group request if the user has the
# accessor
path "sys/control-group/request" {
    capabilities = ["update"]
}

# Allow a token to make requests to the Authorization Endpoint for OIDC providers.
path "identity/oidc/provider/+/authorize" {
    capabilities = ["read", "update"]
}
`;
