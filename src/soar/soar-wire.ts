import type { z } from 'zod';
import { ExternalServiceError } from '../core/errors.js';

/** Select values come back (and are compared) by name, e.g. `resolution_id: "Resolved"`. */
export const NAMES = { handle_format: 'names' } as const;

/**
 * A SOAR answer validated at the edge: each adapter's schemas declare only the fields it reads, and
 * anything else SOAR might send is a non-retryable `UNEXPECTED_RESPONSE` naming the first problems.
 */
export function parseBody<S extends z.ZodType>(schema: S, data: unknown, operation: string): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ExternalServiceError({
    service: 'soar',
    operation,
    retryable: false,
    code: 'UNEXPECTED_RESPONSE',
    message: `${operation} failed: unexpected response from SOAR (${issues.join('; ')})`,
  });
}
