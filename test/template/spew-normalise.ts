// One form for go-spew output from either side: addresses numbered by first appearance (or all
// masked when map order may move them), the entries of every map sorted, in Sdump's block form and
// in Sprintf's inline map[...] form.
/** Addresses numbered by first appearance (so identity still counts). */
function numberAddresses(text: string): string {
  const seen = new Map<string, number>();
  return text.replace(/0x[0-9a-f]{6,}/g, (address) => {
    if (!seen.has(address)) seen.set(address, seen.size + 1);
    return `ADDR${seen.get(address)}`;
  });
}

/** Sdump text with the entries of every map block sorted. A block opened on a line at indent d
 *  holds entries starting at indent d+1 and closes at the next line at indent d. */
function sortDumpMaps(text: string): string {
  return sortDumpLines(text.split('\n')).join('\n');
}

const indentOf = (line: string): number => line.length - line.trimStart().length;

function sortDumpLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    out.push(line);
    if (!/\(map\[[^()]*\) (?:\(len=\d+\) )?\{$/.test(line)) continue;
    const depth = indentOf(line);
    let closing = i + 1;
    while (closing < lines.length && indentOf(lines[closing]!) > depth) closing++;
    const entries: string[][] = [];
    for (let j = i + 1; j < closing; j++) {
      const entryLine = lines[j]!;
      if (indentOf(entryLine) === depth + 1 && !entryLine.trimStart().startsWith('}')) entries.push([]);
      entries[entries.length - 1]!.push(entryLine);
    }
    const sorted = entries.map((entry) => sortDumpLines(entry).join('\n').replace(/,$/, '')).sort();
    out.push(...sorted.map((entry, k) => (k < sorted.length - 1 ? entry + ',' : entry)));
    i = closing - 1;
  }
  return out;
}

/** Inline (%v) text with the entries of every `map[...]` sorted. */
function sortInlineMaps(text: string): string {
  let result = '';
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('map[', i);
    if (at < 0) return result + text.slice(i);
    result += text.slice(i, at + 4);
    let depth = 0;
    let j = at + 4;
    const parts: string[] = [];
    let partStart = j;
    for (; j < text.length; j++) {
      const c = text[j];
      if (c === '[' || c === '{' || c === '(') depth++;
      else if (c === ']' || c === '}' || c === ')') {
        if (depth === 0) break;
        depth--;
      } else if (c === ' ' && depth === 0) {
        parts.push(text.slice(partStart, j));
        partStart = j + 1;
      }
    }
    parts.push(text.slice(partStart, j));
    result += parts.map(sortInlineMaps).sort().join(' ') + ']';
    i = j + 1;
  }
  return result;
}

export function normalise(text: string, mapsToo: boolean): string {
  const sorted = mapsToo ? sortInlineMaps(sortDumpMaps(text)) : text;
  return mapsToo ? sorted.replace(/0x[0-9a-f]{6,}/g, 'ADDR') : numberAddresses(sorted);
}
