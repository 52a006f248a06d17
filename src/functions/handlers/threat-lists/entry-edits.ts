import { ExternalServiceError, errorMessage } from '../../../core/errors.js';
import type { PreparedFunctionDeps } from '../../function-deps.js';
import { INPUT } from '../../function-inputs.js';
import { FunctionInputError, type FunctionCall, type FunctionHandler, type FunctionOutcome } from '../../function-types.js';
import { detectorInput, requiredText, type DetectorTarget } from '../../inputs.js';
import { IpEntryError, addEntries, parseEntries, removeEntries, type ListEdit } from '../../ip-list.js';
import type { ListKindNames } from './list-kinds.js';

/**
 * Adding IPs to, and removing them from, a threat list (ThreatIntelSet) or a trusted list (IPSet):
 * the one click a responder wants on an IP Address artifact. The set's TXT object in S3 is edited
 * with a write conditional on the ETag read (a lost race reads again, so two concurrent changes both
 * land), then the set is updated (same location, active) so GuardDuty reloads it. Bad input and a
 * member account are refused before anything changes. A run that stopped after the write and before
 * the update finishes the job when redelivered: the entries are then already there and the update
 * is made all the same. Written once for both kinds and both edits; `ipset/` and `threatintelset/`
 * hold one module per function.
 */

export type Edit = 'add' | 'remove';

/** Conditional writes tried per invocation before giving up on a list that keeps changing. */
const MAX_WRITES = 8;

export function entryEditHandler(deps: PreparedFunctionDeps, names: ListKindNames, edit: Edit): FunctionHandler {
  return async (call) => {
    const target = await detectorInput(await deps(), call.inputs);
    return editList(names, edit, call, target);
  };
}

async function editList(names: ListKindNames, edit: Edit, call: FunctionCall, t: DetectorTarget): Promise<FunctionOutcome> {
  const { idInput, label, kind } = names;
  const id = requiredText(call.inputs, idInput, `the id of a GuardDuty ${label}`);
  const entries = entriesInput(call);
  try {
    // GuardDuty lets only the administrator account change lists; a member would get as far as
    // writing the object and then be refused the update, so it is refused before the write.
    const administrator = await t.source.administratorOf(t.region, t.detectorId);
    if (administrator !== undefined) {
      return refused(`Account ${t.account} is a GuardDuty member of administrator account ${administrator}: only the administrator manages ${label}s in ${t.region}; run this with the administrator's detector`);
    }
    const { list } = await t.source.getList(t.region, t.detectorId, kind, id);
    if (list.format !== 'TXT') {
      throw new FunctionInputError(idInput, `a ${label} in TXT format (only plain-text lists can be edited entry by entry; this one is ${list.format})`, id);
    }
    await call.status(`${edit === 'add' ? 'Adding' : 'Removing'} ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} ${edit === 'add' ? 'to' : 'from'} ${list.location}`);
    const written = await writeEdited(t, list.location, edit, entries);
    if (written === undefined) return refused(`${list.location} kept changing while it was edited (${MAX_WRITES} attempts); nothing was lost, run the function again`);
    if (written.etag !== undefined) await t.source.updateList(t.region, t.detectorId, kind, id, { location: list.location, activate: true });
    return {
      success: true,
      reason: null,
      content: {
        status: 'ok',
        [edit === 'add' ? 'added' : 'removed']: written.edit.changed,
        [edit === 'add' ? 'already_present' : 'not_present']: written.edit.unchanged,
        location: list.location,
        etag: written.etag ?? null,
        entries: written.edit.entries,
        attempts: written.attempts,
      },
    };
  } catch (err) {
    if (!(err instanceof ExternalServiceError)) throw err;
    return refused(errorMessage(err));
  }
}

/**
 * Reads, edits and writes the object until a conditional write wins (or the edit changes nothing).
 * `etag` is undefined only when there is no object and nothing to put in one; undefined overall when
 * every attempt lost a race.
 */
async function writeEdited(
  t: DetectorTarget, location: string, edit: Edit, entries: readonly string[],
): Promise<{ edit: ListEdit; etag: string | undefined; attempts: number } | undefined> {
  for (let attempt = 1; attempt <= MAX_WRITES; attempt++) {
    const current = await t.source.readListObject(t.region, location);
    const result = edit === 'add' ? addEntries(current?.text ?? '', entries) : removeEntries(current?.text ?? '', entries);
    if (result.changed.length === 0) return { edit: result, etag: current?.etag, attempts: attempt };
    const written = await t.source.writeListObject(t.region, location, result.text, current?.etag);
    if (written !== 'conflict') return { edit: result, etag: written.etag, attempts: attempt };
  }
  return undefined;
}

function entriesInput(call: FunctionCall): string[] {
  const text = requiredText(call.inputs, INPUT.ipAddresses, 'IP addresses or CIDR ranges, separated by commas or new lines');
  try {
    return parseEntries(text);
  } catch (err) {
    if (err instanceof IpEntryError) throw new FunctionInputError(INPUT.ipAddresses, `IP addresses or CIDR ranges (${err.message})`, err.entry);
    throw err;
  }
}

function refused(reason: string): FunctionOutcome {
  return { success: false, reason, content: {} };
}
