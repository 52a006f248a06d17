/**
 * The initial schema. Every key that names a finding is (account, region, detector_id, finding_id):
 * `account` is the account whose credentials list the detector (the administrator in administrator
 * mode), `finding_account` the account the finding belongs to.
 */
export const name = 'initial schema';

export const sql = `
CREATE TABLE detectors (
  account       TEXT NOT NULL,
  region        TEXT NOT NULL,
  detector_id   TEXT,
  status        TEXT NOT NULL CHECK (status IN ('active', 'no-detector', 'failed')),
  reason        TEXT,
  discovered_at INTEGER NOT NULL,
  PRIMARY KEY (account, region)
);

CREATE TABLE cursors (
  account          TEXT NOT NULL,
  region           TEXT NOT NULL,
  detector_id      TEXT NOT NULL,
  cursor_ms        INTEGER,
  last_attempt_at  INTEGER,
  last_success_at  INTEGER,
  last_error       TEXT,
  last_error_at    INTEGER,
  PRIMARY KEY (account, region, detector_id)
);

CREATE TABLE links (
  account          TEXT NOT NULL,
  region           TEXT NOT NULL,
  detector_id      TEXT NOT NULL,
  finding_id       TEXT NOT NULL,
  finding_account  TEXT NOT NULL,
  incident_id      INTEGER,
  updated_at       TEXT NOT NULL,
  count            INTEGER NOT NULL,
  severity         REAL,
  archived         INTEGER NOT NULL DEFAULT 0,
  incident_state   TEXT NOT NULL DEFAULT 'open' CHECK (incident_state IN ('open', 'closed')),
  state            TEXT NOT NULL CHECK (state IN ('creating', 'partial', 'synced', 'adopted', 'gone', 'orphaned')),
  applied          TEXT NOT NULL DEFAULT '{}',
  seen_cycle       INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  changed_at       INTEGER NOT NULL,
  PRIMARY KEY (account, region, detector_id, finding_id)
);
CREATE INDEX links_by_incident ON links (incident_id);
CREATE INDEX links_by_state ON links (account, region, detector_id, incident_state, state);

CREATE TABLE row_fingerprints (
  incident_id   INTEGER NOT NULL,
  table_name    TEXT NOT NULL,
  fingerprints  TEXT NOT NULL,
  PRIMARY KEY (incident_id, table_name)
);

CREATE TABLE artifact_keys (
  incident_id  INTEGER NOT NULL,
  type         TEXT NOT NULL,
  value        TEXT NOT NULL,
  PRIMARY KEY (incident_id, type, value)
);

CREATE TABLE pending_ops (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  kind             TEXT NOT NULL,
  op_key           TEXT NOT NULL,
  payload          TEXT NOT NULL DEFAULT '{}',
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  last_error       TEXT,
  created_at       INTEGER NOT NULL,
  UNIQUE (kind, op_key)
);

CREATE TABLE notes_posted (
  note_key     TEXT PRIMARY KEY,
  incident_id  INTEGER NOT NULL,
  posted_at    INTEGER NOT NULL
);

CREATE TABLE meta (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);

CREATE TABLE daemon_lock (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  owner         TEXT NOT NULL,
  pid           INTEGER NOT NULL,
  host          TEXT NOT NULL,
  started_at    INTEGER NOT NULL,
  heartbeat_at  INTEGER NOT NULL
);
`;
