/**
 * IBM SOAR's error body (an ErrorDTO, the same shape as a PatchStatusDTO) and the exception the
 * handlers throw to produce it. Every non-2xx answer of the emulator uses this body.
 */
export interface SoarErrorBody {
  success: false;
  title: null;
  message: string;
  hints: string[];
  error_code: 'generic';
}

export class SoarError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'SoarError';
  }
}

export function errorBody(message: string): SoarErrorBody {
  return { success: false, title: null, message, hints: [], error_code: 'generic' };
}

export function badRequest(message: string): SoarError {
  return new SoarError(400, message);
}

/** SOAR prints numeric ids with a thousands separator: "Unable to find object with ID 9,999". */
export function notFound(id: number | string): SoarError {
  const shown = typeof id === 'number' || /^\d+$/.test(id) ? Number(id).toLocaleString('en-US') : id;
  return new SoarError(404, `Unable to find object with ID ${shown}`);
}
