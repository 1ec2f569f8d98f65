/** One conformance case as written by hand (sources/*.ts). The expected result is never written
 *  by hand: generate.ts runs every case through Go's text/template (gotpl) and stores it. */
export interface CaseSource {
  name: string;
  template: string;
  /** The dot, decoded as Go's encoding/json does by default (numbers are float64). */
  data?: unknown;
  /** Vault path → raw Vault HTTP response body text (numbers keep their text, as json.Number). */
  secrets?: Record<string, string>;
  env?: Record<string, string>;
  missingkey?: 'default' | 'zero' | 'error';
  delims?: [string, string];
  /** An execution error redacted of the used secrets' values, as consul-template's Template.Execute
   *  and our agent do (agent/src/template/functions/redact.ts). */
  redact?: boolean;
  /** TZ as the process sees it (time.Local for sprig's toDate); absent: the machine's. */
  tz?: string;
}

export interface ExpectedResult {
  ok: boolean;
  output: string;
  error?: string;
}

export interface CorpusCase extends CaseSource {
  expected: ExpectedResult;
}

/** Shorthand for a case table: [name, template, extra fields]. */
export function cases(prefix: string, rows: ReadonlyArray<readonly [string, string, Omit<CaseSource, 'name' | 'template'>?]>): CaseSource[] {
  return rows.map(([name, template, extra]) => ({ name: `${prefix}/${name}`, template, ...extra }));
}
