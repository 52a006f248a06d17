/**
 * What the responder's functions leave for the daemon to follow (issue 21):
 * - `malware_scans`: scans started from (or adopted into) an incident, until their verdict is
 *   written into it (`verdict_at`); the cycle reads each open one with GetMalwareScan;
 * - `suppression_rules`: the suppression rules (ARCHIVE filters) created from an incident, with the
 *   criteria they match, so a finding GuardDuty archives by one of them closes no other open incident;
 * - `coverage`: per account and region, what the last coverage check found (detector, features,
 *   unhealthy resources, members), for `status` and `/metrics`.
 */
export const name = 'malware scans, suppression rules and coverage';

export const sql = `
CREATE TABLE malware_scans (
  scan_id      TEXT NOT NULL,
  incident_id  INTEGER NOT NULL,
  account      TEXT NOT NULL,
  region       TEXT NOT NULL,
  detector_id  TEXT NOT NULL,
  finding_id   TEXT,
  resource_arn TEXT NOT NULL,
  status       TEXT NOT NULL,
  recorded_at  INTEGER NOT NULL,
  checked_at   INTEGER,
  verdict_at   INTEGER,
  last_error   TEXT,
  PRIMARY KEY (scan_id, incident_id)
);
CREATE INDEX malware_scans_open ON malware_scans (verdict_at);
CREATE TABLE suppression_rules (
  account      TEXT NOT NULL,
  region       TEXT NOT NULL,
  name         TEXT NOT NULL,
  detector_id  TEXT NOT NULL,
  incident_id  INTEGER NOT NULL,
  finding_id   TEXT NOT NULL,
  criteria     TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (account, region, name)
);
CREATE TABLE coverage (
  account     TEXT NOT NULL,
  region      TEXT NOT NULL,
  checked_at  INTEGER NOT NULL,
  report      TEXT NOT NULL,
  PRIMARY KEY (account, region)
);
`;
