/** The path's segments, percent-decoded; undefined for a malformed escape (then no route matches). */
export function decodedSegments(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}
