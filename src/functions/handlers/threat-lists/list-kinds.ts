import type { ListKind } from '../../../regions/threat-lists.js';
import { INPUT, type InputName } from '../../function-inputs.js';

/**
 * The two kinds of GuardDuty list a responder manages from SOAR: the IPSet (trusted IP list) and the
 * ThreatIntelSet (threat list). IBM's functions treat both alike but for their id and, for the
 * IPSet only, the bucket owner.
 */
export interface ListKindNames {
  kind: ListKind;
  /** `IPSet` / `ThreatIntelSet`, in messages. */
  label: string;
  /** The id input (`aws_gd_ip_set_id` / `aws_gd_threat_intel_set_id`). */
  idInput: InputName;
  /** The id member of CreateIPSet's / CreateThreatIntelSet's response. */
  idMember: 'IpSetId' | 'ThreatIntelSetId';
  /** What the id input must hold, for the error that names it. */
  idExpected: string;
  /** Whether IBM's create and update take `aws_gd_bucket_owner` (only the IPSet ones do). */
  bucketOwner: boolean;
}

export const IPSET: ListKindNames = {
  kind: 'ipset', label: 'IPSet', idInput: INPUT.ipSetId, idMember: 'IpSetId', bucketOwner: true,
  idExpected: 'the id of a GuardDuty IPSet (as Create IPSet or List IPSets answers it)',
};

export const THREAT_INTEL_SET: ListKindNames = {
  kind: 'threatintelset', label: 'ThreatIntelSet', idInput: INPUT.threatIntelSetId, idMember: 'ThreatIntelSetId', bucketOwner: false,
  idExpected: 'the id of a GuardDuty ThreatIntelSet (as Create ThreatIntelSet or List ThreatIntelSets answers it)',
};
