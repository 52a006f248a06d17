import type { Principal } from '../state/records.js';
import type { SoarState } from '../state/soar-state.js';

/** Author fields of notes and artifacts. [I] An API key shows as its key id, with no user id. */
export function authorOf(state: SoarState, principal: Principal): { id: number | null; fname: string; lname: string } {
  const user = state.userOf(principal);
  if (user) return { id: user.id, fname: user.fname, lname: user.lname };
  return { id: null, fname: principal.kind === 'apikey' ? principal.keyId : 'System', lname: '' };
}
