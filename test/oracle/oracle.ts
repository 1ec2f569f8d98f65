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
  /** The oracle process's TZ for this case (Go's time.Local follows it); absent: inherited. */
  tz?: string;
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
  // Go reads TZ once per process, so the cases of each TZ run in a process of their own.
  const groups = new Map<string | undefined, number[]>();
  cases.forEach((c, i) => {
    const group = groups.get(c.tz) ?? [];
    group.push(i);
    groups.set(c.tz, group);
  });
  const results: OracleResult[] = new Array(cases.length);
  for (const [tz, indices] of groups) {
    const group = indices.map((i) => cases[i]!);
    const options = { input: oracleInput(group), maxBuffer: 1 << 30, encoding: 'utf8' as const, ...(tz === undefined ? {} : { env: { ...process.env, TZ: tz } }) };
    const args = benchRuns > 0 ? ['-bench', String(benchRuns)] : [];
    const out = JSON.parse(execFileSync(oraclePath(), args, options)) as OracleResult[];
    if (out.length !== group.length) throw new Error(`oracle returned ${out.length} results for ${group.length} cases`);
    indices.forEach((index, k) => { results[index] = out[k]!; });
  }
  return results;
}

/** The names in consul-template's function map, sorted. */
export function oracleFunctionNames(): string[] {
  return JSON.parse(execFileSync(oraclePath(), ['-funcs'], { encoding: 'utf8' })) as string[];
}
