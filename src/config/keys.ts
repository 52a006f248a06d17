import type { KeyTable } from './key-spec.js';
import { APP_KEYS } from './keys-app.js';
import { GUARDDUTY_KEYS } from './keys-guardduty.js';
import { INTEGRATIONS_KEYS, RESILIENT_KEYS, TOLERATED_RESILIENT_KEYS, TOLERATED_RESILIENT_PREFIXES } from './keys-resilient.js';

/** Every section and key guardduty-soar knows, in the order of IBM's app.config. */

export const FN_SECTION = 'fn_aws_guardduty';

export const FN_KEYS = { ...GUARDDUTY_KEYS, ...APP_KEYS };

export interface SectionSpec {
  name: string;
  /** The comment above the section in app.config.example. */
  intro: string;
  keys: KeyTable;
  /** Keys other programs read from this section: no unknown-key warning. */
  tolerated: (key: string) => boolean;
}

const none = (): boolean => false;

export const SECTIONS: readonly SectionSpec[] = [
  {
    name: 'resilient',
    intro: 'The SOAR connection, as resilient-circuits reads it (App Host writes this section).',
    keys: RESILIENT_KEYS,
    tolerated: (key) => TOLERATED_RESILIENT_KEYS.includes(key) || TOLERATED_RESILIENT_PREFIXES.some((p) => key.startsWith(p)),
  },
  {
    name: 'integrations',
    intro: 'Settings shared by IBM apps for third-party calls: here, the calls to AWS.',
    keys: INTEGRATIONS_KEYS,
    tolerated: none,
  },
  {
    name: FN_SECTION,
    intro: 'The GuardDuty integration. The keys of IBM\'s fn_aws_guardduty app keep their meaning.',
    keys: FN_KEYS,
    tolerated: none,
  },
];
