// The one error type the engine throws: its message is exactly Go's err.Error().

export type TemplatePhase = 'parse' | 'exec';

export interface TemplateErrorDetails {
  phase: TemplatePhase;
  templateName: string;
  reason: string;
  line?: number | undefined;
  column?: number | undefined;
  partialOutput?: string;
}

export class TemplateError extends Error {
  readonly phase: TemplatePhase;
  /** the top-level template name (Go's ParseName) */
  readonly templateName: string;
  readonly line?: number;
  readonly column?: number;
  /** the message without Go's "template: NAME:LINE:COL: executing ... at <...>: " prefix */
  readonly reason: string;
  /** what was written before an execution error (Go keeps it in the writer) */
  readonly partialOutput: string;

  constructor(message: string, details: TemplateErrorDetails) {
    super(message);
    this.name = 'TemplateError';
    this.phase = details.phase;
    this.templateName = details.templateName;
    if (details.line !== undefined) this.line = details.line;
    if (details.column !== undefined) this.column = details.column;
    this.reason = details.reason;
    this.partialOutput = details.partialOutput ?? '';
  }
}
