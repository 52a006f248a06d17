import type { EmulatorState } from './state.js';
import type { ThreatList } from './threat-lists.js';

/**
 * GuardDuty (re)loading a list: on create, on every update, and when activated. [I] It happens at
 * once (no ACTIVATING/DEACTIVATING phase): an active list is ACTIVE, an inactive one INACTIVE.
 */
export function reloadThreatList(state: EmulatorState, list: ThreatList): void {
  list.loads++;
  list.lastLoad = { at: state.now() };
  list.status = list.activate ? 'ACTIVE' : 'INACTIVE';
}
