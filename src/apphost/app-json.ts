import { APP_PACKAGE, uuidFromString } from '../functions/definitions.js';
import { escapeHtml } from '../incidents/html.js';
import { APP_DISPLAY_NAME, APP_NAME } from './app-name.js';
import { renderConfigString } from './config-string.js';
import { MINIMUM_SOAR_VERSION } from './export-res.js';
import { solidPng } from './png.js';

/**
 * `app.json`, the App Host manifest, with every key resilient-sdk writes (reference §6.2): App Host
 * reads the executable's image, the config_string it shows the administrator, and the permissions of
 * the API key it creates for the app.
 */

export { APP_DISPLAY_NAME, APP_NAME } from './app-name.js';

/**
 * The API key permissions the daemon needs: IBM's six (reference §6.4, `read_data` and
 * `read_function` being the base the SDK requires), plus notes and data-table rows, which IBM wrote
 * from playbook scripts and this daemon writes itself with the app's key.
 */
export const PERMISSION_HANDLES = [
  'read_data', 'read_function', 'create_incident', 'read_all_incidents', 'edit_all_incidents_status', 'edit_all_incidents_fields',
  'edit_all_incident_notes', 'edit_data',
] as const;

export interface AppJsonInput {
  version: string;
  description: string;
  image: string;
}

// [I] Plain colours: App Host only needs PNGs of these sizes (the SDK checks 100×100 and 200×72).
const AUTHOR_ICON = solidPng(100, 100, [0xff, 0x99, 0x00]);
const APP_ICON = solidPng(200, 72, [0x23, 0x2f, 0x3e]);

export function buildAppJson(input: AppJsonInput): Record<string, unknown> {
  // As the SDK's generate_uuid_from_string; [I] the executable and the tag share the app's uuid, as in SDK-built packages.
  const uuid = uuidFromString(APP_NAME);
  const png = (data: Buffer): Record<string, string> => ({ data: data.toString('base64'), media_type: 'image/png' });
  return {
    author: { name: 'guardduty-soar', website: '', icon: png(AUTHOR_ICON) },
    current_installation: {
      executables: [{
        name: APP_NAME,
        image: input.image,
        config_string: renderConfigString(),
        permission_handles: [...PERMISSION_HANDLES],
        uuid,
      }],
    },
    description: { content: input.description, format: 'text' },
    display_name: APP_DISPLAY_NAME,
    icon: png(APP_ICON),
    long_description: {
      format: 'html',
      content: `<div>${escapeHtml(input.description)} It polls Amazon GuardDuty, opens and updates SOAR incidents, and serves the functions of IBM's ${APP_PACKAGE} app on the message destination fn_aws_gd.</div>`,
    },
    minimum_resilient_version: MINIMUM_SOAR_VERSION,
    name: APP_NAME,
    tag: { prefix: APP_NAME, name: APP_NAME, display_name: APP_NAME, uuid },
    uuid,
    version: input.version,
  };
}

/** JSON with sorted keys at every level, as the SDK writes app.json (`sort_keys=True`). */
export function sortedJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
}
