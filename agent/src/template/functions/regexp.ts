// Go's regexp (RE2 syntax, Go 1.19) on top of JavaScript's RegExp: a translator that parses the
// Go syntax, rejects what Go rejects with Go's error text, and emits an equivalent JS pattern
// (flag `u`; Go's ASCII-only \s \w \b, its `.` and `^`/`$` rules spelled out explicitly).
// Replacement templates ($1, ${name}) and "All" iteration follow Go, not String.replace.

export class RegexpError extends Error {}

interface Flags { i: boolean; m: boolean; s: boolean; U: boolean }

const PERL_CLASSES: Record<string, string> = {
  d: '0-9', D: '^0-9',
  s: '\\t\\n\\f\\r ', S: '^\\t\\n\\f\\r ',
  w: '0-9A-Za-z_', W: '^0-9A-Za-z_',
};

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

const UNICODE_CATEGORIES = new Set(['C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn',
  'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs']);

function fail(code: string, arg: string): never {
  throw new RegexpError(`error parsing regexp: ${code}: \`${arg}\``);
}

function escapeForClass(cp: number): string {
  return '\\u{' + cp.toString(16) + '}';
}

function literal(cp: number): string {
  const ch = String.fromCodePoint(cp);
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? '\\' + ch : cp < 0x20 || cp === 0x7f ? escapeForClass(cp) : ch;
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[0-9A-Za-z_]/.test(c);
}

class Translator {
  pos = 0;
  groupNames: string[] = [];
  groupCount = 0;
  constructor(readonly src: string) {}

  peek(offset = 0): string | undefined {
    const cp = this.src.codePointAt(this.pos + offset);
    return cp === undefined ? undefined : String.fromCodePoint(cp);
  }

  next(): string {
    const c = this.peek();
    if (c === undefined) throw new RegexpError('internal: end of input');
    this.pos += c.length;
    return c;
  }

  translate(): string {
    const out = this.alternation({ i: false, m: false, s: false, U: false }, 0);
    if (this.pos < this.src.length) fail('unexpected )', this.src);
    return out;
  }

  /** Parses until ')' (depth > 0) or the end. Flags set with (?i) last to the end of the group. */
  alternation(flags: Flags, depth: number): string {
    let out = '';
    let atomStart = true; // nothing to repeat yet
    let lastWasRepeat = false;
    let lastRepeatText = '';
    let current = { ...flags };
    const openFlagGroups: string[] = [];
    while (this.pos < this.src.length) {
      const start = this.pos;
      const c = this.peek()!;
      if (c === ')') {
        if (depth === 0) fail('unexpected )', this.src);
        break;
      }
      if (c === '|') {
        this.next();
        out += ')'.repeat(openFlagGroups.length) + '|';
        if (openFlagGroups.length > 0) {
          openFlagGroups.length = 0;
          const reopen = this.caseGroup(current);
          out += reopen;
          openFlagGroups.push(reopen);
        }
        atomStart = true;
        lastWasRepeat = false;
        continue;
      }
      if (c === '*' || c === '+' || c === '?' || (c === '{' && this.repeatAhead() !== undefined)) {
        let op: string;
        if (c === '{') {
          const rep = this.repeatAhead()!;
          this.pos += rep.text.length;
          if (rep.min > 1000 || (rep.max !== undefined && (rep.max > 1000 || rep.max < rep.min))) fail('invalid repeat count', rep.text);
          op = rep.text;
        } else {
          this.next();
          op = c;
        }
        let nonGreedy = false;
        if (this.peek() === '?') { this.next(); nonGreedy = true; }
        const opText = this.src.slice(start, this.pos);
        if (atomStart) fail('missing argument to repetition operator', opText);
        if (lastWasRepeat) fail('invalid nested repetition operator', lastRepeatText + opText);
        if (current.U) nonGreedy = !nonGreedy;
        out += op + (nonGreedy ? '?' : '');
        lastWasRepeat = true;
        lastRepeatText = opText;
        continue;
      }
      lastWasRepeat = false;
      if (c === '(') {
        this.next();
        if (this.peek() === '?') {
          const rest = this.src.slice(this.pos);
          if (rest.startsWith('?P<')) {
            const end = this.src.indexOf('>', this.pos);
            if (end < 0) fail('invalid named capture', this.src.slice(start));
            const name = this.src.slice(this.pos + 3, end);
            if (name === '' || !/^[0-9A-Za-z_]+$/.test(name)) fail('invalid named capture', this.src.slice(start, end + 1));
            if (this.groupNames.includes(name)) fail('duplicate capture group name', name);
            this.pos = end + 1;
            this.groupCount++;
            this.groupNames.push(name);
            const inner = this.alternation(current, depth + 1);
            this.expectClose();
            out += `(?<${name}>${inner})`;
          } else {
            const m = /^\?([imsU-]*)(:|\))/.exec(rest);
            if (m === null || m[1] === '-' || (m[1] ?? '').endsWith('-') || ((m[1] ?? '').match(/-/g)?.length ?? 0) > 1 || (m[1] === '' && m[2] === ')')) {
              const bad = /^\?[imsU-]*./u.exec(rest);
              fail('invalid or unsupported Perl syntax', '(' + (bad === null ? rest : bad[0]));
            }
            const spec = m[1] ?? '';
            const newFlags = { ...current };
            let on = true;
            for (const f of spec) {
              if (f === '-') { on = false; continue; }
              newFlags[f as keyof Flags] = on;
            }
            this.pos += m[0].length;
            if (m[2] === ':') {
              const inner = this.alternation(newFlags, depth + 1);
              this.expectClose();
              out += newFlags.i !== current.i ? `(?${newFlags.i ? '' : '-'}i:${inner})` : `(?:${inner})`;
            } else {
              // (?flags) applies to the rest of the current group
              current = newFlags;
              const caseOpen = this.caseGroup(current);
              out += caseOpen;
              openFlagGroups.push(caseOpen);
              atomStart = true;
              continue;
            }
          }
        } else {
          this.groupCount++;
          this.groupNames.push('');
          const inner = this.alternation(current, depth + 1);
          this.expectClose();
          out += `(${inner})`;
        }
        atomStart = false;
        continue;
      }
      atomStart = false;
      out += this.atom(current);
      if (c === '^' || c === '$') atomStart = false;
    }
    return out + ')'.repeat(openFlagGroups.length);
  }

  caseGroup(flags: Flags): string {
    return flags.i ? '(?i:' : '(?-i:';
  }

  expectClose(): void {
    if (this.peek() !== ')') fail('missing closing )', this.src);
    this.next();
  }

  repeatAhead(): { text: string; min: number; max: number | undefined } | undefined {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
    if (m === null) return undefined;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? undefined : Number(m[3]);
    return { text: m[0], min, max };
  }

  atom(flags: Flags): string {
    const start = this.pos;
    const c = this.next();
    switch (c) {
      case '.': return flags.s ? '[\\s\\S]' : '[^\\n]';
      case '^': return flags.m ? '(?:(?<![\\s\\S])|(?<=\\n))' : '(?<![\\s\\S])';
      case '$': return flags.m ? '(?:(?![\\s\\S])|(?=\\n))' : '(?![\\s\\S])';
      case '[': return this.charClass(start, flags);
      case '\\': return this.escape(start, flags, false);
    }
    return this.caseLiteral(c.codePointAt(0)!, flags);
  }

  caseLiteral(cp: number, flags: Flags): string {
    void flags; // case folding is handled by the enclosing (?i:) group
    return literal(cp);
  }

  escape(start: number, flags: Flags, inClass: boolean): string {
    const c = this.peek();
    if (c === undefined) fail('trailing backslash at end of expression', '');
    this.next();
    const seq = (): string => this.src.slice(start, this.pos);
    switch (c) {
      case 'A': if (!inClass) return '(?<![\\s\\S])'; break;
      case 'z': if (!inClass) return '(?![\\s\\S])'; break;
      case 'b': if (!inClass) return '(?:(?<=[0-9A-Za-z_])(?![0-9A-Za-z_])|(?<![0-9A-Za-z_])(?=[0-9A-Za-z_]))'; break;
      case 'B': if (!inClass) return '(?:(?<=[0-9A-Za-z_])(?=[0-9A-Za-z_])|(?<![0-9A-Za-z_])(?![0-9A-Za-z_]))'; break;
      case 'Q': {
        if (inClass) break;
        const end = this.src.indexOf('\\E', this.pos);
        const text = end < 0 ? this.src.slice(this.pos) : this.src.slice(this.pos, end);
        this.pos = end < 0 ? this.src.length : end + 2;
        return '(?:' + Array.from(text, (ch) => literal(ch.codePointAt(0)!)).join('') + ')';
      }
      case 'd': case 'D': case 's': case 'S': case 'w': case 'W': {
        const body = PERL_CLASSES[c]!;
        return inClass ? '\u0000' + c : '[' + body + ']';
      }
      case 'p': case 'P': {
        let name: string;
        if (this.peek() === '{') {
          const end = this.src.indexOf('}', this.pos);
          if (end < 0) fail('invalid character class range', this.src.slice(start));
          name = this.src.slice(this.pos + 1, end);
          this.pos = end + 1;
        } else {
          const n = this.peek();
          if (n === undefined) fail('invalid character class range', seq());
          name = this.next();
        }
        let negated = c === 'P';
        if (name.startsWith('^')) { negated = !negated; name = name.slice(1); }
        let js: string;
        if (name === 'Any') js = negated ? '[^\\s\\S]' : '[\\s\\S]';
        else if (UNICODE_CATEGORIES.has(name)) js = `\\${negated ? 'P' : 'p'}{${name}}`;
        else {
          try {
            new RegExp(`\\p{Script=${name}}`, 'u');
          } catch {
            fail('invalid character class range', seq());
          }
          js = `\\${negated ? 'P' : 'p'}{Script=${name}}`;
        }
        return inClass ? '\u0001' + js : js;
      }
      case 'a': return literalOrClass(7, inClass);
      case 'f': return literalOrClass(12, inClass);
      case 't': return literalOrClass(9, inClass);
      case 'n': return literalOrClass(10, inClass);
      case 'r': return literalOrClass(13, inClass);
      case 'v': return literalOrClass(11, inClass);
      case 'x': {
        if (this.peek() === '{') {
          const end = this.src.indexOf('}', this.pos);
          const hex = end < 0 ? '' : this.src.slice(this.pos + 1, end);
          if (end < 0 || !/^[0-9A-Fa-f]+$/.test(hex) || parseInt(hex, 16) > 0x10ffff) fail('invalid escape sequence', this.src.slice(start, end < 0 ? this.src.length : end + 1));
          this.pos = end + 1;
          return literalOrClass(parseInt(hex, 16), inClass);
        }
        const hex = this.src.slice(this.pos, this.pos + 2);
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) fail('invalid escape sequence', this.src.slice(start, Math.min(this.src.length, this.pos + 2)));
        this.pos += 2;
        return literalOrClass(parseInt(hex, 16), inClass);
      }
      case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        const n = this.peek();
        if (n === undefined || n < '0' || n > '7') fail('invalid escape sequence', seq());
        return this.octal(c, inClass);
      }
      case '0': return this.octal(c, inClass);
    }
    const cp = c.codePointAt(0)!;
    if (cp < 0x80 && !/[0-9A-Za-z]/.test(c)) return literalOrClass(cp, inClass);
    fail('invalid escape sequence', seq());
  }

  octal(c: string, inClass: boolean): string {
    {
      {
        let v = c.charCodeAt(0) - 48;
        for (let k = 0; k < 2; k++) {
          const n = this.peek();
          if (n === undefined || n < '0' || n > '7') break;
          v = v * 8 + (n.charCodeAt(0) - 48);
          this.next();
        }
        return literalOrClass(v, inClass);
      }
    }
  }

  charClass(start: number, flags: Flags): string {
    let negated = false;
    if (this.peek() === '^') { this.next(); negated = true; }
    const parts: string[] = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) fail('missing closing ]', this.src.slice(start));
      if (c === ']' && !first) { this.next(); break; }
      first = false;
      const itemStart = this.pos;
      if (c === '[' && this.src.startsWith('[:', this.pos)) {
        const end = this.src.indexOf(':]', this.pos + 2);
        if (end >= 0) {
          let name = this.src.slice(this.pos + 2, end);
          const neg = name.startsWith('^');
          if (neg) name = name.slice(1);
          const body = POSIX_CLASSES[name];
          if (body === undefined) fail('invalid character class range', this.src.slice(itemStart, end + 2));
          this.pos = end + 2;
          parts.push(neg ? `\u0002${body}` : body);
          continue;
        }
      }
      const lo = this.classChar(flags);
      if (typeof lo === 'string') { parts.push(lo); continue; }
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        this.next();
        const hi = this.classChar(flags);
        if (typeof hi === 'string') fail('invalid character class range', this.src.slice(itemStart, this.pos));
        if (hi < lo) fail('invalid character class range', this.src.slice(itemStart, this.pos));
        parts.push(escapeForClass(lo) + '-' + escapeForClass(hi));
        continue;
      }
      parts.push(escapeForClass(lo));
    }
    // Negated sub-classes (\D, [:^alpha:]) inside a class become alternations of lookaheads.
    const positives: string[] = [];
    const negatives: string[] = [];
    for (const part of parts) {
      if (part.startsWith('\u0000')) {
        const body = PERL_CLASSES[part[1]!]!;
        if (body.startsWith('^')) negatives.push(body.slice(1)); else positives.push(body);
      } else if (part.startsWith('\u0001')) {
        const js = part.slice(1);
        if (js.startsWith('[')) positives.push(js.slice(1, -1)); else positives.push(js);
      } else if (part.startsWith('\u0002')) negatives.push(part.slice(1));
      else positives.push(part);
    }
    const pos = positives.length > 0 ? `[${positives.join('')}]` : '';
    const alternatives = [pos, ...negatives.map((n) => `[^${n}]`)].filter((a) => a !== '');
    const any = alternatives.length === 0 ? '[^\\s\\S]' : alternatives.length === 1 ? alternatives[0]! : `(?:${alternatives.join('|')})`;
    if (!negated) return any;
    if (alternatives.length === 1 && any.startsWith('[') && !any.startsWith('[^')) {
      // Go's negated classes match \n too, as JS's do
      return '[^' + any.slice(1);
    }
    return `(?:(?!${any})[\\s\\S])`;
  }

  /** One class member: a code point, or a ready-made class fragment (string). */
  classChar(flags: Flags): number | string {
    const start = this.pos;
    const c = this.next();
    if (c === '\\') {
      const e = this.escape(start, flags, true);
      if (e.startsWith('\u0000') || e.startsWith('\u0001')) return e;
      return decodeLiteral(e);
    }
    return c.codePointAt(0)!;
  }
}

function literalOrClass(cp: number, inClass: boolean): string {
  return inClass ? '\u0003' + String(cp) : literal(cp);
}

function decodeLiteral(e: string): number {
  if (e.startsWith('\u0003')) return Number(e.slice(1));
  return e.codePointAt(e.startsWith('\\') ? 1 : 0)!;
}

export interface GoRegexp {
  readonly source: string;
  readonly js: RegExp;            // global + unicode
  readonly groupNames: readonly string[]; // '' for unnamed; index i is group i+1
}

const cache = new Map<string, GoRegexp>();

/** regexp.Compile(expr) */
export function compileGoRegexp(expr: string): GoRegexp {
  const cached = cache.get(expr);
  if (cached !== undefined) return cached;
  const t = new Translator(expr);
  const pattern = t.translate();
  let js: RegExp;
  try {
    js = new RegExp(pattern, 'gu');
  } catch {
    throw new RegexpError(`error parsing regexp: invalid or unsupported Perl syntax: \`${expr}\``);
  }
  const re = { source: expr, js, groupNames: t.groupNames };
  if (cache.size > 500) cache.clear();
  cache.set(expr, re);
  return re;
}

/** Successive non-overlapping matches as Go finds them (an empty match right after a previous
 *  match is skipped). n < 0: all. */
export function allMatches(re: GoRegexp, s: string, n = -1): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  const js = re.js;
  js.lastIndex = 0;
  let prevEnd = -1;
  while (n < 0 || out.length < n) {
    if (js.lastIndex > s.length) break;
    const m = js.exec(s);
    if (m === null) break;
    const end = m.index + m[0].length;
    if (m[0].length === 0) {
      // advance one code point past an empty match
      const cp = s.codePointAt(m.index);
      js.lastIndex = m.index + (cp !== undefined && cp > 0xffff ? 2 : 1);
      if (m.index === prevEnd) continue;
    }
    out.push(m);
    prevEnd = end;
  }
  return out;
}

export function matchString(re: GoRegexp, s: string): boolean {
  re.js.lastIndex = 0;
  return re.js.test(s);
}

/** Regexp.Expand of a template ($1, ${1}, $name, ${name}, $$) for one match. */
export function expandTemplate(re: GoRegexp, template: string, match: RegExpExecArray): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const d = template.indexOf('$', i);
    if (d < 0) { out += template.slice(i); break; }
    out += template.slice(i, d);
    i = d + 1;
    if (template[i] === '$') { out += '$'; i++; continue; }
    let name: string | undefined;
    if (template[i] === '{') {
      const end = template.indexOf('}', i);
      const inner = end < 0 ? '' : template.slice(i + 1, end);
      if (end >= 0 && inner !== '' && /^[0-9A-Za-z_]+$/.test(inner)) { name = inner; i = end + 1; }
    } else {
      const m = /^[0-9A-Za-z_]+/.exec(template.slice(i));
      if (m !== null) { name = m[0]; i += m[0].length; }
    }
    if (name === undefined) { out += '$'; continue; }
    if (/^[0-9]+$/.test(name)) {
      const index = Number(name);
      if (index < match.length) out += match[index] ?? '';
    } else {
      const index = re.groupNames.indexOf(name);
      if (index >= 0) out += match[index + 1] ?? '';
    }
  }
  return out;
}

/** Regexp.ReplaceAllString */
export function replaceAllString(re: GoRegexp, s: string, template: string): string {
  let out = '';
  let last = 0;
  for (const m of allMatches(re, s)) {
    out += s.slice(last, m.index) + expandTemplate(re, template, m);
    last = m.index + m[0].length;
  }
  return out + s.slice(last);
}

/** Regexp.ReplaceAllLiteralString */
export function replaceAllLiteralString(re: GoRegexp, s: string, replacement: string): string {
  let out = '';
  let last = 0;
  for (const m of allMatches(re, s)) {
    out += s.slice(last, m.index) + replacement;
    last = m.index + m[0].length;
  }
  return out + s.slice(last);
}

/** Regexp.Split(s, n) */
/** Regexp.Split. `matches` is how many matches it found: Go makes the result with that capacity
 *  (null: Go's nil result for n == 0). */
export function splitRegexp(re: GoRegexp, s: string, n: number): { parts: string[] | null; matches: number } {
  if (n === 0) return { parts: null, matches: 0 };
  if (re.source.length > 0 && s.length === 0) return { parts: [''], matches: 1 };
  const matches = allMatches(re, s, n);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches) {
    if (n > 0 && out.length === n - 1) break;
    end = m.index;
    if (m.index + m[0].length === 0) continue;
    out.push(s.slice(beg, end));
    beg = m.index + m[0].length;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return { parts: out, matches: matches.length };
}

export { isWordChar };
