import { describe, expect, it } from 'vitest';
import { excerptAt, jsonErrorOffset, lineAndColumn } from '../../../src/incidents/json-error.js';

describe('jsonErrorOffset', () => {
  it.each([
    ['{"a": 1}', -1],
    ['[1, "x", {"b": [true, null]}, -2.5e3]', -1],
    ['{"a": x}', 6],
    ['{"a": 1 "b": 2}', 8],
    ['{"a": 1,}', 8],
    ['{"a": "b', 8],
    ['{"a": "b"} extra', 11],
    ['{"a": "tab\there"}', 10],
    ['', 0],
  ])('%j → %d', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('gives line, column and an excerpt around the offset', () => {
    const text = '{\n  "name": AWS GuardDuty: Hello\n}';
    const offset = jsonErrorOffset(text);
    expect(lineAndColumn(text, offset)).toEqual({ line: 2, column: 11 });
    expect(excerptAt(text, offset)).toBe('{   "name": ⟨HERE⟩AWS GuardDuty: Hello }');
  });
});
