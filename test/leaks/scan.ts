// The leak scan every suite of issue 7 ends with: no captured text (log line, stderr, termination
// message, HTTP answer) may hold any value a double handed out (tokens, JWTs, secret values,
// passwords, private keys), in plain form or JSON-escaped (a PEM key inside a JSON log line is
// written with \n escapes, so the plain search alone would miss it).
import assert from 'node:assert/strict';

export interface LeakHit {
  source: string;
  value: string;
  excerpt: string;
}

/** Shorter values (e.g. "on", a port number) are not secrets and would only give false hits. */
export const MIN_SECRET_LENGTH = 6;

function forms(value: string): string[] {
  const escaped = JSON.stringify(value).slice(1, -1);
  const out = new Set([value, escaped]);
  // A multi-line value (PEM) may be logged line by line: each long line is a secret on its own.
  for (const line of value.split('\n')) if (line.length >= 24 && !/^-----(BEGIN|END) /.test(line)) out.add(line);
  return [...out];
}

export function findLeaks(texts: ReadonlyArray<{ source: string; text: string }>, secrets: readonly string[]): LeakHit[] {
  const hits: LeakHit[] = [];
  const values = [...new Set(secrets)].filter((value) => value.length >= MIN_SECRET_LENGTH);
  for (const { source, text } of texts) {
    for (const value of values) {
      for (const form of forms(value)) {
        const at = text.indexOf(form);
        if (at >= 0) {
          hits.push({ source, value: `${value.slice(0, 4)}…(${value.length} chars)`, excerpt: `${text.slice(Math.max(0, at - 80), at)}<<SECRET>>${text.slice(at + form.length, at + form.length + 40)}` });
          break;
        }
      }
    }
  }
  return hits;
}

/** Fails listing every hit (the secret itself is never printed, only where it was). */
export function assertNoLeaks(texts: ReadonlyArray<{ source: string; text: string }>, secrets: readonly string[]): { scannedBytes: number; values: number } {
  const values = [...new Set(secrets)].filter((value) => value.length >= MIN_SECRET_LENGTH);
  assert.ok(values.length > 0, 'the leak scan needs values to look for');
  const hits = findLeaks(texts, values);
  assert.deepEqual(hits, [], `secret values found in captured output:\n${hits.map((hit) => `${hit.source}: ${hit.excerpt}`).join('\n')}`);
  return { scannedBytes: texts.reduce((sum, entry) => sum + Buffer.byteLength(entry.text), 0), values: values.length };
}
