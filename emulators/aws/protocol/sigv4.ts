/**
 * SigV4 `Authorization` header parsing. The credential scope carries everything the emulator needs:
 * the access key (→ the caller's account), the region of the call (one server serves every region,
 * so it never routes by Host: the signed host is 127.0.0.1:PORT) and the signing service.
 *
 * [I] The signature itself is NOT verified: the default account accepts any AKIA key, whose secret the
 * emulator cannot know. Everything else about the header is checked.
 */

export interface SigV4Credential {
  accessKeyId: string;
  /** YYYYMMDD. */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
}

export type SigV4Parse = { ok: true; credential: SigV4Credential } | { ok: false; problem: 'missing' | 'malformed' };

const ALGORITHM = 'AWS4-HMAC-SHA256';

export function parseAuthorization(header: string | undefined): SigV4Parse {
  if (header === undefined || header.trim() === '') return { ok: false, problem: 'missing' };
  const trimmed = header.trim();
  if (!trimmed.startsWith(`${ALGORITHM} `)) return { ok: false, problem: 'malformed' };
  const params = new Map<string, string>();
  for (const part of trimmed.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = params.get('Credential');
  const signedHeaders = params.get('SignedHeaders');
  const signature = params.get('Signature');
  if (!credential || !signedHeaders || !signature || !/^[0-9a-f]{64}$/.test(signature)) {
    return { ok: false, problem: 'malformed' };
  }
  const scope = credential.split('/');
  const [accessKeyId, date, region, service, terminator] = scope;
  if (scope.length !== 5 || !accessKeyId || !date || !region || !service || terminator !== 'aws4_request') {
    return { ok: false, problem: 'malformed' };
  }
  if (!/^\d{8}$/.test(date)) return { ok: false, problem: 'malformed' };
  return { ok: true, credential: { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';') } };
}

/** `amz-sdk-request: attempt=2; max=3` → 2 (the SDK's attempt counter, used to assert retries). */
export function parseAttempt(header: string | undefined): number | undefined {
  const match = header ? /attempt=(\d+)/.exec(header) : null;
  return match?.[1] ? Number(match[1]) : undefined;
}
