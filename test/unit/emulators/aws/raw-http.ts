/** Plain HTTP to the emulator, for what the SDK cannot send (no signature, unknown members). */

export function fakeAuthorization(accessKeyId: string, region: string, service: string): string {
  return `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20250101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
}

export async function rawGuardDuty(
  url: string, method: string, path: string, body?: unknown,
  options: { accessKeyId?: string; region?: string; authorization?: string | null } = {},
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const auth = options.authorization === undefined
    ? fakeAuthorization(options.accessKeyId ?? 'AKIAEMULATOR00000001', options.region ?? 'us-east-1', 'guardduty')
    : options.authorization;
  if (auth !== null) headers.authorization = auth;
  const res = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}
