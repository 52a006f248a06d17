import fs from 'node:fs';
import { ConfigError } from '../core/errors.js';

/** TLS trust as a `cafile`-style key gives it: a PEM bundle's contents, or no verification. */
export interface CaTrust {
  ca?: string;
  rejectUnauthorized?: boolean;
}

/**
 * Reads a `cafile`-style value (REST's `cafile`, STOMP's `stomp_cafile`): a PEM file's contents,
 * `false` = no verification, unset = the system CAs. An unreadable file is a configuration error
 * naming the key and how to fix it.
 */
export function readCaTrust(cafile: string | false | undefined, key: string, hint: string): CaTrust {
  if (cafile === false) return { rejectUnauthorized: false };
  if (cafile === undefined || cafile === '') return {};
  try {
    return { ca: fs.readFileSync(cafile, 'utf8') };
  } catch (err) {
    throw new ConfigError([{
      key,
      value: cafile,
      expected: `a readable PEM file (${err instanceof Error ? err.message : String(err)})`,
      hint,
    }]);
  }
}
