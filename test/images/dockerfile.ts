// A small Dockerfile reader for the image tests: instructions (line continuations joined, comments
// dropped) grouped by stage. No Docker engine runs here, so the images' facts are checked on the text.

export interface Instruction { keyword: string; args: string; line: number }
export interface Stage { from: string; alias?: string; instructions: Instruction[] }

export function parseDockerfile(text: string): Stage[] {
  const instructions: Instruction[] = [];
  let pending = '';
  let startLine = 0;
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const trimmed = raw.trim();
    if (pending === '' && (trimmed === '' || trimmed.startsWith('#'))) continue;
    if (pending !== '' && trimmed.startsWith('#')) continue;
    if (pending === '') startLine = index + 1;
    if (trimmed.endsWith('\\')) {
      pending += `${trimmed.slice(0, -1).trimEnd()} `;
      continue;
    }
    const full = (pending + trimmed).trim();
    pending = '';
    const match = /^(\S+)\s*([\s\S]*)$/.exec(full);
    if (match !== null) instructions.push({ keyword: (match[1] ?? '').toUpperCase(), args: (match[2] ?? '').trim(), line: startLine });
  }
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const match = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      const stage: Stage = { from: match?.[1] ?? instruction.args, instructions: [] };
      if (match?.[2] !== undefined) stage.alias = match[2];
      stages.push(stage);
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** ENTRYPOINT/CMD in exec (JSON array) form, or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  try {
    const value: unknown = JSON.parse(args);
    return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}

/** `ENV A=1 B=2` → {A: '1', B: '2'} (no quoting beyond what our Dockerfiles use). */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const instruction of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    for (const pair of instruction.args.split(/\s+/)) {
      const equals = pair.indexOf('=');
      if (equals > 0) env[pair.slice(0, equals)] = pair.slice(equals + 1);
    }
  }
  return env;
}

/** Paths the stage COPYs from the build context (not --from another stage). */
export function contextCopies(stage: Stage): string[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY' && !/--from=/.test(i.args))
    .flatMap((i) => {
      const parts = i.args.split(/\s+/).filter((part) => !part.startsWith('--'));
      return parts.slice(0, -1);
    });
}
