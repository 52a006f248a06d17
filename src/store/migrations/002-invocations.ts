/**
 * SOAR function invocations by STOMP `message-id`, so a redelivered message (after a reconnect or a
 * crash) is answered from here instead of being run twice. `reply` is the final reply body sent to
 * SOAR, set when the function finished; a row without one was running when the process stopped.
 */
export const name = 'function invocations';

export const sql = `
CREATE TABLE invocations (
  message_id     TEXT PRIMARY KEY,
  function_name  TEXT NOT NULL,
  inputs_digest  TEXT NOT NULL,
  correlation_id TEXT NOT NULL,
  received_at    INTEGER NOT NULL,
  started_at     INTEGER,
  finished_at    INTEGER,
  outcome        TEXT CHECK (outcome IN ('success', 'failure', 'error')),
  reply          TEXT,
  runs           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX invocations_finished ON invocations (finished_at);
`;
