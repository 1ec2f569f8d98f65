/** Runs cases through the template oracle (test/oracle: Go 1.26 text/template with the real
 *  consul-template), which superseded Go 1.19's gotpl. Kept under this name for its callers. */
import type { CaseSource } from './case.ts';
import { runOracle, type OracleResult } from '../../oracle/oracle.ts';

export type GotplResult = OracleResult;

export function runGotpl(sources: readonly CaseSource[], benchRuns = 0): GotplResult[] {
  return runOracle(sources, benchRuns);
}
