/** HCL 1 text → its generic value (every block a list), or HCL's message. */
export function parse(text: string): { ok: true; value: unknown } | { ok: false; reason: string };
