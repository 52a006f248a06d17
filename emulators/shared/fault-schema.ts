import { z } from 'zod';

/**
 * The admin API's fields for the rule options both emulators share (see `FaultRuleBase`); each
 * emulator adds its matchers, its `statuses` and its `latencyMs` rules to this shape.
 */
export const faultRuleBaseShape = {
  errorRate: z.number().min(0).max(1).optional(),
  failNext: z.number().int().min(0).optional(),
  skipFirst: z.number().int().min(0).optional(),
  reset: z.boolean().optional(),
  resetRate: z.number().min(0).max(1).optional(),
  mode: z.enum(['before', 'after']).optional(),
};
