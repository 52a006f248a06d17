/**
 * A small seeded PRNG (mulberry32) so that generated findings, ids, keys and fault decisions are
 * reproducible run after run: the same seed and the same sequence of calls give the same emulator.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Prng.pick on an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Lowercase hex, like GuardDuty finding and detector ids. */
  hex(length: number): string {
    return this.chars(length, '0123456789abcdef');
  }

  /** Uppercase letters and digits, like access key ids. */
  upper(length: number): string {
    return this.chars(length, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
  }

  /** Mixed-case alphanumerics, like secret keys and session tokens. */
  alnum(length: number): string {
    return this.chars(length, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
  }

  private chars(length: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }
}
