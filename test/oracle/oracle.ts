/** The template oracle (test/oracle: Go 1.26's text/template with consul-template's own function
 *  map and dependency types), built on demand by scripts/build-oracle.sh into .cache/oracle.
 *  Tests that need it call these; without Go they fail with the build script's message. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface OracleCase {
  name: string;
  template: string;
  data?: unknown;
  /** Vault path → raw Vault HTTP response body text, spliced in verbatim (json.Number). */
  secrets?: Readonly<Record<string, string>>;
  env?: Readonly<Record<string, string>>;
  missingkey?: 'default' | 'zero' | 'error';
  delims?: readonly [string, string];
}

export interface OracleResult {
  name: string;
  ok: boolean;
  output?: string;
  error?: string;
  ns_per_op?: number;
  exec_ns_per_op?: number;
}

const buildScript = fileURLToPath(new URL('../../scripts/build-oracle.sh', import.meta.url));
let built: string | undefined;

/** Builds the oracle if its sources changed (a few minutes the first time) and returns its path. */
export function oraclePath(): string {
  if (built !== undefined) return built;
  try {
    built = execFileSync('bash', [buildScript], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 15 * 60_000 }).trim();
  } catch (error) {
    const stderr = typeof error === 'object' && error !== null && 'stderr' in error ? String((error as { stderr: unknown }).stderr) : '';
    throw new Error(`the template oracle could not be built (scripts/build-oracle.sh): ${stderr.trim() || String(error)}`);
  }
  return built;
}

/** The case list as the oracle reads it: secret bodies go in as raw JSON, not as strings. */
export function oracleInput(cases: readonly OracleCase[]): string {
  const raws: string[] = [];
  const placeholders = cases.map((c) => {
    if (c.secrets === undefined) return c;
    const secrets: Record<string, string> = {};
    for (const [path, body] of Object.entries(c.secrets)) {
      JSON.parse(body); // a malformed fixture is a bug in the case, not something to send Go
      secrets[path] = `\u0000RAW${raws.length}\u0000`;
      raws.push(body);
    }
    return { ...c, secrets };
  });
  return JSON.stringify(placeholders).replace(/"\\u0000RAW(\d+)\\u0000"/g, (_m, index: string) => raws[Number(index)] ?? 'null');
}

/** Renders the cases; with benchRuns > 0 each result also carries ns_per_op and exec_ns_per_op. */
export function runOracle(cases: readonly OracleCase[], benchRuns = 0): OracleResult[] {
  const args = benchRuns > 0 ? ['-bench', String(benchRuns)] : [];
  const stdout = execFileSync(oraclePath(), args, { input: oracleInput(cases), maxBuffer: 1 << 30, encoding: 'utf8' });
  const results = JSON.parse(stdout) as OracleResult[];
  if (results.length !== cases.length) throw new Error(`oracle returned ${results.length} results for ${cases.length} cases`);
  return results;
}

/** The names in consul-template's function map, sorted. */
export function oracleFunctionNames(): string[] {
  return JSON.parse(execFileSync(oraclePath(), ['-funcs'], { encoding: 'utf8' })) as string[];
}
