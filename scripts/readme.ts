// Regenerates the README sections that are derived from code (`npm run readme`), so the annotation
// reference, the settings and the denial codes cannot drift from what the webhook does.
// test/readme.test.ts fails when the README is not current.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderAnnotationReference } from '../src/annotations/table.ts';
import { renderErrorCatalog } from '../src/errors.ts';
import { renderSettingsHelp } from '../src/settings.ts';

export const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));

export const generatedSections: Readonly<Record<string, () => string>> = {
  annotations: renderAnnotationReference,
  'webhook-denials': renderErrorCatalog,
  'webhook-settings': () => ['```text', renderSettingsHelp().trimEnd(), '```'].join('\n'),
};

/** The README text with every generated section replaced by its current content. */
export function regenerate(readme: string): string {
  let text = readme;
  for (const [name, render] of Object.entries(generatedSections)) {
    const begin = `<!-- BEGIN generated:${name} -->`;
    const end = `<!-- END generated:${name} -->`;
    const start = text.indexOf(begin);
    const stop = text.indexOf(end);
    if (start === -1 || stop === -1 || stop < start) throw new Error(`README.md has no ${begin} ... ${end} section`);
    text = `${text.slice(0, start + begin.length)}\n${render().trimEnd()}\n${text.slice(stop)}`;
  }
  return text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(readmePath, regenerate(readFileSync(readmePath, 'utf8')));
}
