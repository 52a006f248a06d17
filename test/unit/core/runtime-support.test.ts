import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nodeSupportNotice } from '../../../src/core/runtime-support.js';

/** The start-up notice names the Node.js the image really runs: the one the Dockerfile's FROM lines pull. */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The Node.js major of every FROM line of the Dockerfile, its ARG default substituted. */
function dockerfileNodeMajors(): number[] {
  const text = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const arg = /^ARG NODE_VERSION=(\d+)\s*$/m.exec(text)?.[1];
  return [...text.matchAll(/^FROM node:(\S+?)-/gm)].map((m) => Number((m[1] ?? '').replace('${NODE_VERSION}', arg ?? '')));
}

describe('the Node.js start-up notice', () => {
  it('on Node.js 20 names the Node.js of the Dockerfile\'s FROM lines as the one the image runs', () => {
    const majors = dockerfileNodeMajors();
    expect(majors).toHaveLength(2);
    expect(new Set(majors).size).toBe(1);
    expect(nodeSupportNotice('20.19.2')).toBe(
      `Running on Node.js 20: AWS SDK releases after January 2027 require Node.js 22 (the container image runs Node.js ${majors[0]})`,
    );
  });

  it('is not given on the Node.js versions the AWS SDK keeps supporting', () => {
    expect(nodeSupportNotice('22.12.0')).toBeUndefined();
    expect(nodeSupportNotice('24.11.1')).toBeUndefined();
  });
});
