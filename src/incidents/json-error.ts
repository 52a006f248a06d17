/**
 * Where JSON text first goes wrong. `JSON.parse` in Node 20 does not always give a position
 * ("Unexpected token 'x', ... is not valid JSON"), and a template author needs one, so this is a
 * small scanner that stops at the first offending character. Returns -1 for valid JSON.
 */
export function jsonErrorOffset(text: string): number {
  const scanner = new Scanner(text);
  try {
    scanner.value();
    scanner.skipSpace();
    return scanner.pos < text.length ? scanner.pos : -1;
  } catch {
    return Math.min(scanner.pos, text.length);
  }
}

/** ~80 characters around an offset, on one line, with a marker at the offset. */
export function excerptAt(text: string, offset: number, radius = 40): string {
  const start = Math.max(0, offset - radius);
  const end = Math.min(text.length, offset + radius);
  // One line, and no raw control characters: the excerpt ends up in logs and terminals.
  const flat = (s: string): string =>
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must be made visible
    s.replace(/[\r\n\t]/g, ' ').replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const before = (start > 0 ? '…' : '') + flat(text.slice(start, offset));
  const after = flat(text.slice(offset, end)) + (end < text.length ? '…' : '');
  return `${before}⟨HERE⟩${after}`;
}

/** 1-based line and column of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

class Scanner {
  pos = 0;
  constructor(private readonly text: string) {}

  skipSpace(): void {
    while (/[ \t\n\r]/.test(this.text.charAt(this.pos))) this.pos += 1;
  }

  value(): void {
    this.skipSpace();
    const c = this.text.charAt(this.pos);
    if (c === '{') return this.container('}', true);
    if (c === '[') return this.container(']', false);
    if (c === '"') return this.string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(this.text.slice(this.pos));
    if (!literal) throw new Error('unexpected');
    this.pos += literal[0].length;
  }

  private container(close: string, isObject: boolean): void {
    this.pos += 1;
    this.skipSpace();
    if (this.text.charAt(this.pos) === close) {
      this.pos += 1;
      return;
    }
    for (;;) {
      if (isObject) {
        this.skipSpace();
        if (this.text.charAt(this.pos) !== '"') throw new Error('expected key');
        this.string();
        this.skipSpace();
        this.expect(':');
      }
      this.value();
      this.skipSpace();
      const c = this.text.charAt(this.pos);
      if (c === close) {
        this.pos += 1;
        return;
      }
      this.expect(',');
    }
  }

  private string(): void {
    this.pos += 1;
    for (;;) {
      const code = this.text.charCodeAt(this.pos);
      if (Number.isNaN(code) || code < 0x20) throw new Error('unterminated');
      if (code === 0x22) break;
      if (code === 0x5c) {
        if (!/^(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(this.text.slice(this.pos + 1, this.pos + 6))) throw new Error('escape');
        this.pos += this.text.charAt(this.pos + 1) === 'u' ? 6 : 2;
      } else {
        this.pos += 1;
      }
    }
    this.pos += 1;
  }

  private expect(c: string): void {
    if (this.text.charAt(this.pos) !== c) throw new Error(`expected ${c}`);
    this.pos += 1;
  }
}
