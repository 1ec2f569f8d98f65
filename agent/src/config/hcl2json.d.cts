/** HCL text → hcl2json's JSON (blocks as lists, labelled blocks keyed by label); rejects with the parser's message. */
export function parse(filename: string, contents: string): Promise<Record<string, unknown>>;
