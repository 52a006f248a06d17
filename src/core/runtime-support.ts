/**
 * Which Node.js the container image runs, and what a process on an older one is told at start.
 *
 * The image's Node.js is the Dockerfile's `ARG NODE_VERSION`; the Dockerfile is not shipped with the
 * package, so the number is repeated here once, and test/unit/runtime-support.test.ts fails when the
 * two disagree. Nothing else may spell it out.
 */
export const IMAGE_NODE_MAJOR = 24;

/** The AWS SDK for JavaScript v3 drops Node.js 20 in releases after January 2027. */
const AWS_SDK_MIN_NODE_MAJOR = 22;

/** The start-up notice for this Node.js version (`process.versions.node`), or undefined when none is due. */
export function nodeSupportNotice(nodeVersion: string): string | undefined {
  const major = Number(nodeVersion.split('.')[0]);
  if (!(major < AWS_SDK_MIN_NODE_MAJOR)) return undefined;
  return `Running on Node.js ${major}: AWS SDK releases after January 2027 require Node.js ${AWS_SDK_MIN_NODE_MAJOR} ` +
    `(the container image runs Node.js ${IMAGE_NODE_MAJOR})`;
}
