/**
 * The findings attack sequences are made of (issue 20): one row per (sequence, member finding), keyed
 * like links by the detector that lists both (a sequence and its members share an account and a
 * region). Written when the daemon reads a sequence, whichever finding arrives first; what the rows
 * say lets the links be made once, across cycles and restarts:
 * - `noted_member_incident` / `noted_sequence_incident`: the member's incident got the note and the
 *   custom field pointing at that sequence incident;
 * - `row_member_incident`: the sequence incident's signal row names that member incident;
 * - `folded_into` / `folded_version`: the member has no incident of its own
 *   (aws_gd_sequence_members = fold); its rows and a note went into that sequence incident, as of
 *   that `updatedAt#count`; `archived_at`: archived with its sequence (aws_gd_sequence_close_members).
 */
export const name = 'sequence members';

export const sql = `
CREATE TABLE sequence_members (
  account                  TEXT NOT NULL,
  region                   TEXT NOT NULL,
  detector_id              TEXT NOT NULL,
  sequence_id              TEXT NOT NULL,
  member_id                TEXT NOT NULL,
  signal_uid               TEXT NOT NULL,
  signal_name              TEXT NOT NULL,
  sequence_type            TEXT NOT NULL,
  sequence_title           TEXT,
  noted_member_incident    INTEGER,
  noted_sequence_incident  INTEGER,
  row_member_incident      INTEGER,
  folded_into              INTEGER,
  folded_version           TEXT,
  archived_at              INTEGER,
  recorded_at              INTEGER NOT NULL,
  PRIMARY KEY (account, region, detector_id, sequence_id, member_id)
);
CREATE INDEX sequence_members_by_member ON sequence_members (account, region, detector_id, member_id);
CREATE INDEX sequence_members_by_noted_incident ON sequence_members (noted_member_incident);
`;
