/** OK passes; WARN passes but says what an operator should know; FAIL fails the check. */
export type Verdict = 'OK' | 'WARN' | 'FAIL';

export interface CheckLine {
  verdict: Verdict;
  name: string;
  detail: string;
  fix?: string | undefined;
}

/** Receives each check's line as soon as it is known (a slow check shows where it waits). */
export type CheckOutput = (line: CheckLine) => void;

/** One line, whatever the service put in its message (SDK errors carry newlines). */
export function formatCheckLine(line: CheckLine): string {
  const flat = (text: string): string => text.replace(/\s+/g, ' ').trim();
  return `${line.verdict.padEnd(4)}  ${line.name}: ${flat(line.detail)}${line.fix ? `  Fix: ${flat(line.fix)}` : ''}`;
}
