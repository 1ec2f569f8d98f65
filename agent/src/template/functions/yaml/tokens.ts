// The scanner's tokens, as libyaml names them.
import type { Mark } from './chars.ts';

export type TokenType =
  | 'STREAM_START' | 'STREAM_END' | 'VERSION_DIRECTIVE' | 'TAG_DIRECTIVE' | 'DOCUMENT_START' | 'DOCUMENT_END'
  | 'BLOCK_SEQUENCE_START' | 'BLOCK_MAPPING_START' | 'BLOCK_END' | 'FLOW_SEQUENCE_START' | 'FLOW_SEQUENCE_END'
  | 'FLOW_MAPPING_START' | 'FLOW_MAPPING_END' | 'BLOCK_ENTRY' | 'FLOW_ENTRY' | 'KEY' | 'VALUE' | 'ALIAS'
  | 'ANCHOR' | 'TAG' | 'SCALAR';

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

export interface Token {
  type: TokenType;
  start: Mark;
  end: Mark;
  /** scalar text, anchor/alias name, tag handle, %TAG handle */
  value: string;
  /** tag suffix, %TAG prefix */
  suffix: string;
  style: ScalarStyle;
  major: number;
  minor: number;
}

export function makeToken(type: TokenType, start: Mark, end: Mark, value = '', style: ScalarStyle = 'plain'): Token {
  return { type, start, end, value, suffix: '', style, major: 0, minor: 0 };
}
