import { ExternalServiceError, errorMessage } from '../../core/errors.js';
import type { FunctionOutcome } from '../function-types.js';

/** IBM's functions answer any AWS failure with `success: false`, the error as the reason, and `{}`. */
export async function awsOutcome(run: () => Promise<unknown>): Promise<FunctionOutcome> {
  try {
    return { success: true, reason: null, content: await run() };
  } catch (err) {
    if (!(err instanceof ExternalServiceError)) throw err;
    return { success: false, reason: errorMessage(err), content: {} };
  }
}
