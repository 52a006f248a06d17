import winston from 'winston';
import type { Writable } from 'node:stream';

/**
 * The program's logger: winston, JSON lines by default (text on a TTY), every known secret value
 * replaced wherever it appears, including inside nested metadata and error messages.
 */
export type Logger = winston.Logger;

export interface LoggerOptions {
  level?: string;
  format?: 'json' | 'text';
  /** Values that must never appear in a log line. */
  secrets?: readonly string[];
  /** Where lines go; stdout by default. */
  stream?: Writable;
}

const REDACTED = '***';

export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stdout;
  const textMode = options.format ? options.format === 'text' : Boolean((stream as { isTTY?: boolean }).isTTY);
  const secrets = [...(options.secrets ?? [])].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
  return winston.createLogger({
    level: options.level ?? 'info',
    format: winston.format.combine(
      errorsToPlain(),
      scrub(secrets)(),
      winston.format.timestamp(),
      textMode ? textLine() : winston.format.json(),
    ),
    transports: [new winston.transports.Stream({ stream })],
  });
}

/** A logger that drops everything (tests that do not look at logs). */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
}

const errorsToPlain = winston.format((info) => {
  for (const [key, value] of Object.entries(info)) {
    if (value instanceof Error) info[key] = describeError(value);
  }
  return info;
});

function describeError(err: Error): Record<string, unknown> {
  const json = (err as { toJSON?: () => unknown }).toJSON;
  if (typeof json === 'function') return json.call(err) as Record<string, unknown>;
  return { name: err.name, message: err.message };
}

function scrub(secrets: string[]): winston.Logform.FormatWrap {
  return winston.format((info) => {
    if (secrets.length === 0) return info;
    for (const key of Object.keys(info)) {
      info[key] = scrubValue(info[key], secrets, 0);
    }
    for (const sym of Object.getOwnPropertySymbols(info)) {
      const record = info as unknown as Record<symbol, unknown>;
      record[sym] = scrubValue(record[sym], secrets, 0);
    }
    return info;
  });
}

export function scrubValue(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === 'string') {
    let out = value;
    for (const secret of secrets) out = out.split(secret).join(REDACTED);
    return out;
  }
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubValue(v, secrets, depth + 1);
  return out;
}

function textLine(): winston.Logform.Format {
  return winston.format.printf((info) => {
    const { level, message, timestamp, ...meta } = info;
    const rest = Object.keys(meta).length > 0 ? ` ${JSON.stringify(meta)}` : '';
    return `${String(timestamp)} ${level.toUpperCase().padEnd(5)} ${String(message)}${rest}`;
  });
}
