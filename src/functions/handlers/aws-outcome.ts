import { ExternalServiceError, errorMessage } from '../../errors.js';
import type { FunctionOutcome } from '../function-types.js';

/**
 * The respond functions' rule for AWS: a refusal is `success: false` with AWS's message and the
 * daemon's hint as the reason and `{}` as the content, as IBM's functions answer; anything else
 * that is thrown is an error reply (bad input) or a bug.
 */
export async function awsOutcome(run: () => Promise<unknown>): Promise<FunctionOutcome> {
  try {
    return { success: true, reason: null, content: await run() };
  } catch (err) {
    if (!(err instanceof ExternalServiceError)) throw err;
    return { success: false, reason: errorMessage(err), content: {} };
  }
}
