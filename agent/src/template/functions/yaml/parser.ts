// libyaml's parser as yaml.v2 carries it: tokens into events (document, mapping, sequence,
// scalar, alias), by the same state machine, so that the same token stream fails with the same
// problem at the same token. Tags are resolved here against the document's %TAG handles.
import { Scanner, YamlSyntaxError } from './scanner.ts';
import type { Mark, Token } from './scanner.ts';
import type { ScalarStyle } from './tokens.ts';

export type EventType =
  | 'STREAM_START' | 'STREAM_END' | 'DOCUMENT_START' | 'DOCUMENT_END' | 'ALIAS' | 'SCALAR'
  | 'SEQUENCE_START' | 'SEQUENCE_END' | 'MAPPING_START' | 'MAPPING_END';

export interface YamlEvent {
  type: EventType;
  start: Mark;
  /** anchor name (alias: the name it refers to) */
  anchor: string;
  /** the full tag ('' when none) */
  tag: string;
  value: string;
  /** a scalar that is plain and untagged (or tagged '!'): its type comes from its text */
  implicit: boolean;
  style: ScalarStyle;
}

type State =
  | 'STREAM_START' | 'IMPLICIT_DOCUMENT_START' | 'DOCUMENT_START' | 'DOCUMENT_CONTENT' | 'DOCUMENT_END'
  | 'BLOCK_NODE' | 'BLOCK_NODE_OR_INDENTLESS_SEQUENCE' | 'FLOW_NODE'
  | 'BLOCK_SEQUENCE_FIRST_ENTRY' | 'BLOCK_SEQUENCE_ENTRY' | 'INDENTLESS_SEQUENCE_ENTRY'
  | 'BLOCK_MAPPING_FIRST_KEY' | 'BLOCK_MAPPING_KEY' | 'BLOCK_MAPPING_VALUE'
  | 'FLOW_SEQUENCE_FIRST_ENTRY' | 'FLOW_SEQUENCE_ENTRY' | 'FLOW_SEQUENCE_ENTRY_MAPPING_KEY'
  | 'FLOW_SEQUENCE_ENTRY_MAPPING_VALUE' | 'FLOW_SEQUENCE_ENTRY_MAPPING_END'
  | 'FLOW_MAPPING_FIRST_KEY' | 'FLOW_MAPPING_KEY' | 'FLOW_MAPPING_VALUE' | 'FLOW_MAPPING_EMPTY_VALUE' | 'END';

interface TagDirective {
  handle: string;
  prefix: string;
}

const DEFAULT_TAG_DIRECTIVES: readonly TagDirective[] = [
  { handle: '!', prefix: '!' },
  { handle: '!!', prefix: 'tag:yaml.org,2002:' },
];

function parserError(problem: string, problemMark: Mark, contextMark?: Mark): YamlSyntaxError {
  return new YamlSyntaxError('parser', problem, problemMark, contextMark);
}

export class Parser {
  private readonly scanner: Scanner;
  private state: State = 'STREAM_START';
  private readonly states: State[] = [];
  private readonly marks: Mark[] = [];
  private tagDirectives: TagDirective[] = [];

  constructor(input: string) {
    this.scanner = new Scanner(input);
  }

  /** The next event; STREAM_END again once the stream has ended. */
  next(): YamlEvent {
    if (this.state === 'END' || this.scanner.done) return this.event('STREAM_END', { index: 0, line: 0, column: 0 });
    switch (this.state) {
      case 'STREAM_START': return this.streamStart();
      case 'IMPLICIT_DOCUMENT_START': return this.documentStart(true);
      case 'DOCUMENT_START': return this.documentStart(false);
      case 'DOCUMENT_CONTENT': return this.documentContent();
      case 'DOCUMENT_END': return this.documentEnd();
      case 'BLOCK_NODE': return this.node(true, false);
      case 'BLOCK_NODE_OR_INDENTLESS_SEQUENCE': return this.node(true, true);
      case 'FLOW_NODE': return this.node(false, false);
      case 'BLOCK_SEQUENCE_FIRST_ENTRY': return this.blockSequenceEntry(true);
      case 'BLOCK_SEQUENCE_ENTRY': return this.blockSequenceEntry(false);
      case 'INDENTLESS_SEQUENCE_ENTRY': return this.indentlessSequenceEntry();
      case 'BLOCK_MAPPING_FIRST_KEY': return this.blockMappingKey(true);
      case 'BLOCK_MAPPING_KEY': return this.blockMappingKey(false);
      case 'BLOCK_MAPPING_VALUE': return this.blockMappingValue();
      case 'FLOW_SEQUENCE_FIRST_ENTRY': return this.flowSequenceEntry(true);
      case 'FLOW_SEQUENCE_ENTRY': return this.flowSequenceEntry(false);
      case 'FLOW_SEQUENCE_ENTRY_MAPPING_KEY': return this.flowSequenceEntryMappingKey();
      case 'FLOW_SEQUENCE_ENTRY_MAPPING_VALUE': return this.flowSequenceEntryMappingValue();
      case 'FLOW_SEQUENCE_ENTRY_MAPPING_END': return this.flowSequenceEntryMappingEnd();
      case 'FLOW_MAPPING_FIRST_KEY': return this.flowMappingKey(true);
      case 'FLOW_MAPPING_KEY': return this.flowMappingKey(false);
      case 'FLOW_MAPPING_VALUE': return this.flowMappingValue(false);
      case 'FLOW_MAPPING_EMPTY_VALUE': return this.flowMappingValue(true);
    }
  }

  private event(type: EventType, start: Mark, extra?: Partial<YamlEvent>): YamlEvent {
    return { type, start, anchor: '', tag: '', value: '', implicit: false, style: 'plain', ...extra };
  }

  private pop(): void {
    this.state = this.states.pop()!;
  }

  private emptyScalar(mark: Mark): YamlEvent {
    return this.event('SCALAR', mark, { implicit: true });
  }

  private streamStart(): YamlEvent {
    const token = this.scanner.peek();
    if (token.type !== 'STREAM_START') throw parserError('did not find expected <stream-start>', token.start);
    this.state = 'IMPLICIT_DOCUMENT_START';
    this.scanner.skip();
    return this.event('STREAM_START', token.start);
  }

  private documentStart(implicit: boolean): YamlEvent {
    let token = this.scanner.peek();
    if (!implicit) {
      while (token.type === 'DOCUMENT_END') {
        this.scanner.skip();
        token = this.scanner.peek();
      }
    }
    if (implicit && token.type !== 'VERSION_DIRECTIVE' && token.type !== 'TAG_DIRECTIVE' && token.type !== 'DOCUMENT_START' && token.type !== 'STREAM_END') {
      this.processDirectives();
      this.states.push('DOCUMENT_END');
      this.state = 'BLOCK_NODE';
      return this.event('DOCUMENT_START', token.start);
    }
    if (token.type !== 'STREAM_END') {
      const start = token.start;
      this.processDirectives();
      token = this.scanner.peek();
      if (token.type !== 'DOCUMENT_START') throw parserError('did not find expected <document start>', token.start);
      this.states.push('DOCUMENT_END');
      this.state = 'DOCUMENT_CONTENT';
      this.scanner.skip();
      return this.event('DOCUMENT_START', start);
    }
    this.state = 'END';
    this.scanner.skip();
    return this.event('STREAM_END', token.start);
  }

  private documentContent(): YamlEvent {
    const token = this.scanner.peek();
    const t = token.type;
    if (t === 'VERSION_DIRECTIVE' || t === 'TAG_DIRECTIVE' || t === 'DOCUMENT_START' || t === 'DOCUMENT_END' || t === 'STREAM_END') {
      this.pop();
      return this.emptyScalar(token.start);
    }
    return this.node(true, false);
  }

  private documentEnd(): YamlEvent {
    const token = this.scanner.peek();
    if (token.type === 'DOCUMENT_END') this.scanner.skip();
    this.tagDirectives = [];
    this.state = 'DOCUMENT_START';
    return this.event('DOCUMENT_END', token.start);
  }

  private processDirectives(): void {
    let token = this.scanner.peek();
    let version = false;
    while (token.type === 'VERSION_DIRECTIVE' || token.type === 'TAG_DIRECTIVE') {
      if (token.type === 'VERSION_DIRECTIVE') {
        if (version) throw parserError('found duplicate %YAML directive', token.start);
        if (token.major !== 1 || token.minor !== 1) throw parserError('found incompatible YAML document', token.start);
        version = true;
      } else {
        this.appendTagDirective({ handle: token.value, prefix: token.suffix }, false, token.start);
      }
      this.scanner.skip();
      token = this.scanner.peek();
    }
    for (const directive of DEFAULT_TAG_DIRECTIVES) this.appendTagDirective(directive, true, token.start);
  }

  private appendTagDirective(directive: TagDirective, allowDuplicates: boolean, mark: Mark): void {
    if (this.tagDirectives.some((d) => d.handle === directive.handle)) {
      if (allowDuplicates) return;
      throw parserError('found duplicate %TAG directive', mark);
    }
    this.tagDirectives.push(directive);
  }

  private node(block: boolean, indentlessSequence: boolean): YamlEvent {
    let token: Token = this.scanner.peek();
    if (token.type === 'ALIAS') {
      this.pop();
      this.scanner.skip();
      return this.event('ALIAS', token.start, { anchor: token.value });
    }
    let start = token.start;
    let anchor = '';
    let hasTag = false;
    let tagHandle = '';
    let tagSuffix = '';
    let tagMark = token.start;
    if (token.type === 'ANCHOR') {
      anchor = token.value;
      this.scanner.skip();
      token = this.scanner.peek();
      if (token.type === 'TAG') {
        hasTag = true;
        tagHandle = token.value;
        tagSuffix = token.suffix;
        tagMark = token.start;
        this.scanner.skip();
        token = this.scanner.peek();
      }
    } else if (token.type === 'TAG') {
      hasTag = true;
      tagHandle = token.value;
      tagSuffix = token.suffix;
      start = token.start;
      tagMark = token.start;
      this.scanner.skip();
      token = this.scanner.peek();
      if (token.type === 'ANCHOR') {
        anchor = token.value;
        this.scanner.skip();
        token = this.scanner.peek();
      }
    }
    let tag = '';
    if (hasTag) {
      if (tagHandle === '') tag = tagSuffix;
      else {
        const directive = this.tagDirectives.find((d) => d.handle === tagHandle);
        if (directive !== undefined) tag = directive.prefix + tagSuffix;
        if (tag === '') throw parserError('found undefined tag handle', tagMark, start);
      }
    }
    const implicit = tag === '';
    if (indentlessSequence && token.type === 'BLOCK_ENTRY') {
      this.state = 'INDENTLESS_SEQUENCE_ENTRY';
      return this.event('SEQUENCE_START', start, { anchor, tag, implicit });
    }
    if (token.type === 'SCALAR') {
      this.pop();
      this.scanner.skip();
      const plainImplicit = (tag === '' && token.style === 'plain') || tag === '!';
      return this.event('SCALAR', start, { anchor, tag, value: token.value, implicit: plainImplicit, style: token.style });
    }
    if (token.type === 'FLOW_SEQUENCE_START') {
      this.state = 'FLOW_SEQUENCE_FIRST_ENTRY';
      return this.event('SEQUENCE_START', start, { anchor, tag, implicit });
    }
    if (token.type === 'FLOW_MAPPING_START') {
      this.state = 'FLOW_MAPPING_FIRST_KEY';
      return this.event('MAPPING_START', start, { anchor, tag, implicit });
    }
    if (block && token.type === 'BLOCK_SEQUENCE_START') {
      this.state = 'BLOCK_SEQUENCE_FIRST_ENTRY';
      return this.event('SEQUENCE_START', start, { anchor, tag, implicit });
    }
    if (block && token.type === 'BLOCK_MAPPING_START') {
      this.state = 'BLOCK_MAPPING_FIRST_KEY';
      return this.event('MAPPING_START', start, { anchor, tag, implicit });
    }
    if (anchor !== '' || tag !== '') {
      this.pop();
      return this.event('SCALAR', start, { anchor, tag, implicit });
    }
    throw parserError('did not find expected node content', token.start, start);
  }

  private blockSequenceEntry(first: boolean): YamlEvent {
    if (first) {
      this.marks.push(this.scanner.peek().start);
      this.scanner.skip();
    }
    let token = this.scanner.peek();
    if (token.type === 'BLOCK_ENTRY') {
      const mark = token.end;
      this.scanner.skip();
      token = this.scanner.peek();
      if (token.type !== 'BLOCK_ENTRY' && token.type !== 'BLOCK_END') {
        this.states.push('BLOCK_SEQUENCE_ENTRY');
        return this.node(true, false);
      }
      this.state = 'BLOCK_SEQUENCE_ENTRY';
      return this.emptyScalar(mark);
    }
    if (token.type === 'BLOCK_END') {
      this.pop();
      this.marks.pop();
      this.scanner.skip();
      return this.event('SEQUENCE_END', token.start);
    }
    throw parserError("did not find expected '-' indicator", token.start, this.marks.pop());
  }

  private indentlessSequenceEntry(): YamlEvent {
    let token = this.scanner.peek();
    if (token.type === 'BLOCK_ENTRY') {
      const mark = token.end;
      this.scanner.skip();
      token = this.scanner.peek();
      if (token.type !== 'BLOCK_ENTRY' && token.type !== 'KEY' && token.type !== 'VALUE' && token.type !== 'BLOCK_END') {
        this.states.push('INDENTLESS_SEQUENCE_ENTRY');
        return this.node(true, false);
      }
      this.state = 'INDENTLESS_SEQUENCE_ENTRY';
      return this.emptyScalar(mark);
    }
    this.pop();
    return this.event('SEQUENCE_END', token.start);
  }

  private blockMappingKey(first: boolean): YamlEvent {
    if (first) {
      this.marks.push(this.scanner.peek().start);
      this.scanner.skip();
    }
    let token = this.scanner.peek();
    if (token.type === 'KEY') {
      const mark = token.end;
      this.scanner.skip();
      token = this.scanner.peek();
      if (token.type !== 'KEY' && token.type !== 'VALUE' && token.type !== 'BLOCK_END') {
        this.states.push('BLOCK_MAPPING_VALUE');
        return this.node(true, true);
      }
      this.state = 'BLOCK_MAPPING_VALUE';
      return this.emptyScalar(mark);
    }
    if (token.type === 'BLOCK_END') {
      this.pop();
      this.marks.pop();
      this.scanner.skip();
      return this.event('MAPPING_END', token.start);
    }
    throw parserError('did not find expected key', token.start, this.marks.pop());
  }

  private blockMappingValue(): YamlEvent {
    let token = this.scanner.peek();
    if (token.type === 'VALUE') {
      const mark = token.end;
      this.scanner.skip();
      token = this.scanner.peek();
      if (token.type !== 'KEY' && token.type !== 'VALUE' && token.type !== 'BLOCK_END') {
        this.states.push('BLOCK_MAPPING_KEY');
        return this.node(true, true);
      }
      this.state = 'BLOCK_MAPPING_KEY';
      return this.emptyScalar(mark);
    }
    this.state = 'BLOCK_MAPPING_KEY';
    return this.emptyScalar(token.start);
  }

  private flowSequenceEntry(first: boolean): YamlEvent {
    if (first) {
      this.marks.push(this.scanner.peek().start);
      this.scanner.skip();
    }
    let token = this.scanner.peek();
    if (token.type !== 'FLOW_SEQUENCE_END') {
      if (!first) {
        if (token.type !== 'FLOW_ENTRY') throw parserError("did not find expected ',' or ']'", token.start, this.marks.pop());
        this.scanner.skip();
        token = this.scanner.peek();
      }
      if (token.type === 'KEY') {
        // a single-pair mapping inside a flow sequence: [a: b]
        this.state = 'FLOW_SEQUENCE_ENTRY_MAPPING_KEY';
        this.scanner.skip();
        return this.event('MAPPING_START', token.start, { implicit: true });
      }
      if (token.type !== 'FLOW_SEQUENCE_END') {
        this.states.push('FLOW_SEQUENCE_ENTRY');
        return this.node(false, false);
      }
    }
    this.pop();
    this.marks.pop();
    this.scanner.skip();
    return this.event('SEQUENCE_END', token.start);
  }

  private flowSequenceEntryMappingKey(): YamlEvent {
    const token = this.scanner.peek();
    if (token.type !== 'VALUE' && token.type !== 'FLOW_ENTRY' && token.type !== 'FLOW_SEQUENCE_END') {
      this.states.push('FLOW_SEQUENCE_ENTRY_MAPPING_VALUE');
      return this.node(false, false);
    }
    const mark = token.end;
    this.scanner.skip();
    this.state = 'FLOW_SEQUENCE_ENTRY_MAPPING_VALUE';
    return this.emptyScalar(mark);
  }

  private flowSequenceEntryMappingValue(): YamlEvent {
    const token = this.scanner.peek();
    if (token.type === 'VALUE') {
      this.scanner.skip();
      const next = this.scanner.peek();
      if (next.type !== 'FLOW_ENTRY' && next.type !== 'FLOW_SEQUENCE_END') {
        this.states.push('FLOW_SEQUENCE_ENTRY_MAPPING_END');
        return this.node(false, false);
      }
    }
    this.state = 'FLOW_SEQUENCE_ENTRY_MAPPING_END';
    return this.emptyScalar(token.start);
  }

  private flowSequenceEntryMappingEnd(): YamlEvent {
    const token = this.scanner.peek();
    this.state = 'FLOW_SEQUENCE_ENTRY';
    return this.event('MAPPING_END', token.start);
  }

  private flowMappingKey(first: boolean): YamlEvent {
    if (first) {
      this.marks.push(this.scanner.peek().start);
      this.scanner.skip();
    }
    let token = this.scanner.peek();
    if (token.type !== 'FLOW_MAPPING_END') {
      if (!first) {
        if (token.type !== 'FLOW_ENTRY') throw parserError("did not find expected ',' or '}'", token.start, this.marks.pop());
        this.scanner.skip();
        token = this.scanner.peek();
      }
      if (token.type === 'KEY') {
        this.scanner.skip();
        token = this.scanner.peek();
        if (token.type !== 'VALUE' && token.type !== 'FLOW_ENTRY' && token.type !== 'FLOW_MAPPING_END') {
          this.states.push('FLOW_MAPPING_VALUE');
          return this.node(false, false);
        }
        this.state = 'FLOW_MAPPING_VALUE';
        return this.emptyScalar(token.start);
      }
      if (token.type !== 'FLOW_MAPPING_END') {
        this.states.push('FLOW_MAPPING_EMPTY_VALUE');
        return this.node(false, false);
      }
    }
    this.pop();
    this.marks.pop();
    this.scanner.skip();
    return this.event('MAPPING_END', token.start);
  }

  private flowMappingValue(empty: boolean): YamlEvent {
    let token = this.scanner.peek();
    if (empty) {
      this.state = 'FLOW_MAPPING_KEY';
      return this.emptyScalar(token.start);
    }
    if (token.type === 'VALUE') {
      this.scanner.skip();
      token = this.scanner.peek();
      if (token.type !== 'FLOW_ENTRY' && token.type !== 'FLOW_MAPPING_END') {
        this.states.push('FLOW_MAPPING_KEY');
        return this.node(false, false);
      }
    }
    this.state = 'FLOW_MAPPING_KEY';
    return this.emptyScalar(token.start);
  }
}
