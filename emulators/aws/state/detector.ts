import type { WireFinding } from '../protocol/wire.js';

/**
 * A detector and its settings (what GetDetector answers and UpdateDetector changes), as the state
 * holds them; `guardduty/detector-config.ts` reads and updates the settings.
 *
 * [I] a new detector is ENABLED, publishes every SIX_HOURS, with every foundational and protection
 * feature enabled.
 */

export type Status = 'ENABLED' | 'DISABLED';

export interface Setting {
  status: Status;
  /** Epoch ms. */
  updatedAt: number;
}

interface Feature extends Setting {
  additional: Map<string, Setting>;
}

export interface DetectorConfig {
  status: Status;
  findingPublishingFrequency: string;
  /** Epoch ms. */
  updatedAt: number;
  features: Map<string, Feature>;
  tags: Record<string, string>;
}

const INITIAL_FEATURES = ['CLOUD_TRAIL', 'DNS_LOGS', 'FLOW_LOGS', 'S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'RUNTIME_MONITORING'];

export function newDetectorConfig(createdAtMs: number): DetectorConfig {
  return {
    status: 'ENABLED',
    findingPublishingFrequency: 'SIX_HOURS',
    updatedAt: createdAtMs,
    features: new Map(INITIAL_FEATURES.map((name) => [name, { status: 'ENABLED', updatedAt: createdAtMs, additional: new Map() }])),
    tags: {},
  };
}

export interface Detector {
  id: string;
  accountId: string;
  region: string;
  /** ISO string (the model declares GetDetector's createdAt as a string). */
  createdAt: string;
  /** What GetDetector answers and UpdateDetector/TagResource change. */
  config: DetectorConfig;
  findings: Map<string, WireFinding>;
}
