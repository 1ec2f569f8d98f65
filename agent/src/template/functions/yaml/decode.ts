// yaml.Unmarshal(text, &v) with v an interface{}, as gopkg.in/yaml.v2 v2.4.0 does it: the
// events of the first document made into a node tree (anchors resolved as they are met), then
// decoded: mappings to map[interface {}]interface {}, sequences to []interface {}, scalars by
// resolve(), merge keys (<<) folded in, aliases expanded with yaml.v2's checks.
import { sprintf } from '../../format.ts';
import { decodeGoBytes } from '../../gostring.ts';
import { GoInt, GoMap, GoSlice, interfaceSlice } from '../../values.ts';
import type { GoValue } from '../../values.ts';
import { YamlError } from './error.ts';
import { Parser } from './parser.ts';
import type { EventType, YamlEvent } from './parser.ts';
import { YamlSyntaxError } from './scanner.ts';
import { BINARY_TAG, MERGE_TAG, TIMESTAMP_TAG, resolve } from './resolve.ts';

interface YamlNode {
  kind: 'mapping' | 'sequence' | 'scalar' | 'alias';
  tag: string;
  value: string;
  implicit: boolean;
  children: YamlNode[];
  /** an alias: the node its anchor names */
  alias: YamlNode | undefined;
}

function fail(message: string): never {
  throw new YamlError(`yaml: ${message}`);
}

/** yaml.v2's words for a libyaml error: a line only past the first, parser lines 0-based. */
function syntaxMessage(error: YamlSyntaxError): string {
  let line = 0;
  if (error.problemMark !== undefined && error.problemMark.line !== 0) {
    line = error.problemMark.line + (error.stage === 'scanner' ? 1 : 0);
  } else if (error.contextMark !== undefined && error.contextMark.line !== 0) {
    line = error.contextMark.line;
  }
  return `${line !== 0 ? `line ${line}: ` : ''}${error.problem === '' ? 'unknown problem parsing YAML content' : error.problem}`;
}

const EVENT_NAMES: Record<EventType, string> = {
  STREAM_START: 'stream start', STREAM_END: 'stream end', DOCUMENT_START: 'document start', DOCUMENT_END: 'document end',
  ALIAS: 'alias', SCALAR: 'scalar', SEQUENCE_START: 'sequence start', SEQUENCE_END: 'sequence end',
  MAPPING_START: 'mapping start', MAPPING_END: 'mapping end',
};

/** Events into nodes, one document. */
class Composer {
  private readonly parser: Parser;
  private event: YamlEvent | undefined;
  private anchors = new Map<string, YamlNode>();

  constructor(text: string) {
    this.parser = new Parser(text);
  }

  private pull(): YamlEvent {
    if (this.event === undefined) {
      try {
        this.event = this.parser.next();
      } catch (error) {
        if (error instanceof YamlSyntaxError) fail(syntaxMessage(error));
        throw error;
      }
    }
    return this.event;
  }

  private expect(type: EventType): YamlEvent {
    const event = this.pull();
    if (event.type === 'STREAM_END') fail('attempted to go past the end of stream; corrupted value?');
    if (event.type !== type) fail(`expected ${EVENT_NAMES[type]} event but got ${EVENT_NAMES[event.type]}`);
    this.event = undefined;
    return event;
  }

  /** The first document's root, or undefined for a stream without documents. */
  compose(): YamlNode | undefined {
    this.expect('STREAM_START');
    if (this.pull().type === 'STREAM_END') return undefined;
    this.expect('DOCUMENT_START');
    this.anchors = new Map();
    const root = this.node();
    this.expect('DOCUMENT_END');
    return root;
  }

  private newNode(kind: YamlNode['kind'], event: YamlEvent): YamlNode {
    const node: YamlNode = { kind, tag: event.tag, value: '', implicit: event.implicit, children: [], alias: undefined };
    if (event.anchor !== '' && kind !== 'alias') this.anchors.set(event.anchor, node);
    return node;
  }

  /** One node with everything under it; a loop, not recursion: libyaml allows 10,000 levels. */
  private node(): YamlNode {
    const open: YamlNode[] = [];
    for (;;) {
      const event = this.pull();
      let done: YamlNode;
      switch (event.type) {
        case 'SCALAR':
          done = this.newNode('scalar', event);
          done.value = event.value;
          this.expect('SCALAR');
          break;
        case 'ALIAS':
          done = this.newNode('alias', event);
          done.value = event.anchor;
          done.alias = this.anchors.get(event.anchor);
          if (done.alias === undefined) fail(`unknown anchor '${event.anchor}' referenced`);
          this.expect('ALIAS');
          break;
        case 'SEQUENCE_START':
        case 'MAPPING_START':
          open.push(this.newNode(event.type === 'SEQUENCE_START' ? 'sequence' : 'mapping', event));
          this.expect(event.type);
          continue;
        case 'SEQUENCE_END':
        case 'MAPPING_END':
          if (open.length === 0) return fail(`attempted to parse unknown event: ${EVENT_NAMES[event.type]}`);
          done = open.pop()!;
          this.expect(event.type);
          break;
        default:
          // yaml.v2 panics here; a well-formed event stream never gets here
          return fail(`attempted to parse unknown event: ${EVENT_NAMES[event.type]}`);
      }
      const parent = open[open.length - 1];
      if (parent === undefined) return done;
      parent.children.push(done);
    }
  }
}

/** A map being filled: Go's map equality for the int keys our values hold as objects. */
class MapBuilder {
  readonly entries = new Map<GoValue, GoValue>();
  private readonly intKeys = new Map<string, GoInt>();

  set(key: GoValue, value: GoValue): void {
    if (key instanceof GoInt) {
      const canonical = `${key.kind}:${key.value}`;
      const known = this.intKeys.get(canonical);
      if (known !== undefined) key = known;
      else this.intKeys.set(canonical, key);
    }
    this.entries.set(key, value);
  }
}

const ALIAS_RATIO_LOW = 400000;
const ALIAS_RATIO_HIGH = 4000000;

function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= ALIAS_RATIO_LOW) return 0.99;
  if (decodeCount >= ALIAS_RATIO_HIGH) return 0.10;
  return 0.99 - 0.89 * ((decodeCount - ALIAS_RATIO_LOW) / (ALIAS_RATIO_HIGH - ALIAS_RATIO_LOW));
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** base64.StdEncoding.DecodeString: padded, line breaks ignored. */
function decodeBase64(text: string): string {
  const s = text.replace(/[\r\n]/g, '');
  if (!BASE64.test(s)) fail('!!binary value contains invalid base64 data');
  return decodeGoBytes(Buffer.from(s, 'base64'));
}

function isMerge(node: YamlNode): boolean {
  return node.kind === 'scalar' && node.value === '<<' && (node.implicit || node.tag === MERGE_TAG);
}

type Task = () => void;

/** yaml.v2's decoder into interface{}, walking the tree with a stack of tasks instead of
 *  recursion (libyaml allows 10,000 levels), in the same order, so that the same error comes
 *  first and the alias counts run alike. */
class Decoder {
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  private readonly activeAliases = new Set<YamlNode>();
  private readonly tasks: Task[] = [];

  private count(): void {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      fail('document contains excessive aliasing');
    }
  }

  /** Into an alias: its target is decoded next, then leaveAlias runs. */
  private enterAlias(node: YamlNode): void {
    if (this.activeAliases.has(node)) fail(`anchor '${node.value}' value contains itself`);
    this.activeAliases.add(node);
    this.aliasDepth++;
    this.tasks.push(() => {
      this.aliasDepth--;
      this.activeAliases.delete(node);
    });
  }

  /** The document (yaml.v2 counts its node too) decoded into an interface{}. */
  document(root: YamlNode): GoValue {
    this.count();
    let result: GoValue = null;
    this.pushValue(root, (value) => { result = value; });
    for (let task = this.tasks.pop(); task !== undefined; task = this.tasks.pop()) task();
    return result;
  }

  // tasks run last pushed first: to do A then B, push B then A

  /** A node decoded into an interface{}, handed to deliver. */
  private pushValue(node: YamlNode, deliver: (value: GoValue) => void): void {
    this.tasks.push(() => this.value(node, deliver));
  }

  private value(node: YamlNode, deliver: (value: GoValue) => void): void {
    this.count();
    switch (node.kind) {
      case 'alias':
        this.enterAlias(node);
        this.pushValue(node.alias!, deliver);
        return;
      case 'scalar':
        deliver(this.scalar(node));
        return;
      case 'sequence': {
        const items: GoValue[] = new Array<GoValue>(node.children.length);
        this.tasks.push(() => deliver(interfaceSlice(items)));
        for (let i = node.children.length - 1; i >= 0; i--) this.pushValue(node.children[i]!, (value) => { items[i] = value; });
        return;
      }
      case 'mapping': {
        const map = new MapBuilder();
        this.tasks.push(() => deliver(new GoMap('map[interface {}]interface {}', 'interface {}', 'interface {}', map.entries)));
        this.pushMapping(node, map);
        return;
      }
    }
  }

  /** A node decoded into a map that already exists (a merge's target). */
  private pushInto(node: YamlNode, map: MapBuilder): void {
    this.tasks.push(() => {
      this.count();
      if (node.kind === 'alias') {
        this.enterAlias(node);
        this.pushInto(node.alias!, map);
      } else this.pushMapping(node, map);
    });
  }

  private scalar(node: YamlNode): GoValue {
    if (node.tag === '' && !node.implicit) return node.value;
    const resolved = resolve(node.tag, node.value);
    if (resolved.tag === BINARY_TAG) return decodeBase64(node.value);
    if (resolved.tag === TIMESTAMP_TAG) return node.value;
    return resolved.value;
  }

  private pushMapping(node: YamlNode, map: MapBuilder): void {
    const children = node.children;
    for (let i = children.length - 2; i >= 0; i -= 2) {
      const keyNode = children[i]!;
      const valueNode = children[i + 1]!;
      this.tasks.push(() => {
        if (isMerge(keyNode)) {
          this.merge(valueNode, map);
          return;
        }
        let key: GoValue = null;
        this.tasks.push(() => {
          if (key instanceof GoMap || key instanceof GoSlice) fail(`invalid map key: ${sprintf('%#v', [key])}`);
          this.pushValue(valueNode, (value) => map.set(key, value));
        });
        this.pushValue(keyNode, (value) => { key = value; });
      });
    }
  }

  private merge(node: YamlNode, map: MapBuilder): void {
    const wantMap = (): never => fail('map merge requires map or sequence of maps as the value');
    switch (node.kind) {
      case 'mapping':
        this.pushInto(node, map);
        return;
      case 'alias':
        if (node.alias!.kind !== 'mapping') wantMap();
        this.pushInto(node, map);
        return;
      case 'sequence':
        // earlier maps win, so they go in last; each is checked just before it goes in
        for (let i = 0; i < node.children.length; i++) {
          const item = node.children[i]!;
          this.tasks.push(() => {
            if (item.kind === 'alias' ? item.alias!.kind !== 'mapping' : item.kind !== 'mapping') wantMap();
            this.pushInto(item, map);
          });
        }
        return;
      default:
        wantMap();
    }
  }
}

/** parseYAML's yaml.Unmarshal into interface{}: nil for a stream without documents. */
export function unmarshalYaml(text: string): GoValue {
  // yaml.v2 reads an empty input as a single line break
  const root = new Composer(text === '' ? '\n' : text).compose();
  if (root === undefined) return null;
  return new Decoder().document(root);
}
