import { anomalyRows } from './anomaly-rows.js';
import { actorRows, endpointRows, indicatorRows, sequenceResourceRows, signalRows } from './sequence-rows.js';
import type { ColumnDefinition, TableDefinition } from './row-cells.js';

/** The column of a signal row naming the incident of its member finding (filled in by the sync code). */
export const MEMBER_INCIDENT_COLUMN = 'member_incident';

/**
 * Columns the daemon fills in after the row is written, when it learns more (the member finding's
 * incident may be created after the sequence's): not part of a row's content, so a row's fingerprint
 * ignores them and an update never writes the row again because of them.
 */
export const LINK_COLUMNS: readonly string[] = [MEMBER_INCIDENT_COLUMN];

export const SIGNALS_TABLE = 'gd_sequence_signals';

/**
 * The attack-sequence tables (Extended Threat Detection) and the anomaly table. Documented in
 * docs/attack-sequences.md. Appended to the other tables: IBM's tables are unchanged.
 */
export const SEQUENCE_TABLE_DEFINITIONS: readonly TableDefinition[] = [
  {
    name: SIGNALS_TABLE, label: 'GuardDuty Attack Sequence - Signals (timeline)', queryDateLabel: 'Query execution date',
    columns: columns(['first_seen', 'First seen'], ['last_seen', 'Last seen'], ['signal_type', 'Signal type'], ['name', 'Name'],
      ['description', 'Description'], ['severity', 'Severity'], ['count', 'Count'], ['actors', 'Actors'], ['endpoints', 'Endpoints'],
      ['resources', 'Resources'], ['indicators', 'Indicators'], [MEMBER_INCIDENT_COLUMN, 'Incident of this finding'], ['signal_uid', 'Signal ID']),
    rows: signalRows,
  },
  {
    name: 'gd_sequence_actors', label: 'GuardDuty Attack Sequence - Actors', queryDateLabel: 'Query execution date',
    columns: columns(['actor_id', 'Actor ID'], ['user_name', 'User name'], ['user_type', 'User type'], ['user_uid', 'User ID'],
      ['account_id', 'Account ID'], ['account_name', 'Account name'], ['credential_uid', 'Credential (access key)'],
      ['session_mfa', 'Session MFA'], ['session_issuer', 'Session issuer'], ['session_created', 'Session created'],
      ['process_name', 'Process name'], ['process_path', 'Process path'], ['process_sha256', 'Process SHA-256']),
    rows: actorRows,
  },
  {
    name: 'gd_sequence_endpoints', label: 'GuardDuty Attack Sequence - Network Endpoints', queryDateLabel: 'Query execution date',
    columns: columns(['endpoint_id', 'Endpoint ID'], ['ip', 'IP address'], ['domain', 'Domain'], ['port', 'Port'], ['direction', 'Direction'],
      ['city', 'City'], ['country', 'Country'], ['location', 'Location (latitude, longitude)'], ['asn', 'ASN'], ['as_name', 'AS name']),
    rows: endpointRows,
  },
  {
    name: 'gd_sequence_resources', label: 'GuardDuty Attack Sequence - Resources', queryDateLabel: 'Query execution date',
    columns: columns(['uid', 'Resource ID (ARN)'], ['name', 'Name'], ['resource_type', 'Type'], ['account_id', 'Account ID'],
      ['region', 'Region'], ['service', 'Service'], ['resource_tags', 'Tags']),
    rows: sequenceResourceRows,
  },
  {
    name: 'gd_sequence_indicators', label: 'GuardDuty Attack Sequence - Indicators (MITRE ATT&CK)', queryDateLabel: 'Query execution date',
    columns: columns(['found_in', 'Found in'], ['indicator_key', 'Indicator'], ['meaning', 'Meaning'], ['title', 'Title'], ['indicator_values', 'Values']),
    rows: indicatorRows,
  },
  {
    name: 'gd_anomaly_details', label: 'GuardDuty Anomaly - What Was Unusual', queryDateLabel: 'Query execution date',
    columns: columns(['profile', 'Profile'], ['feature', 'Feature'], ['unusual', 'Unusual value'], ['frequency', 'How unusual'],
      ['profile_type', 'Profile type'], ['usual', 'Usual values of the profile'], ['usual_frequency', 'How often usual']),
    rows: anomalyRows,
  },
];

function columns(...pairs: [string, string][]): ColumnDefinition[] {
  return pairs.map(([name, label]) => ({ name, label }));
}
