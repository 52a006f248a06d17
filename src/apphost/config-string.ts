import { comment } from '../config/example-file.js';
import { describeDefault, type KeySpec } from '../config/key-spec.js';
import { FN_KEYS, FN_SECTION } from '../config/keys.js';

/**
 * The `config_string` of `app.json`: the `[fn_aws_guardduty]` section App Host shows the
 * administrator when the app is installed (it writes `[resilient]` itself). Rendered from the key
 * tables like app.config.example, so it names every key the daemon reads with its default; the two
 * required keys are set to their examples, the secret is a `$NAME` reference to an App Host secret,
 * and every other key is commented out at its default (or example), so it changes nothing until edited.
 */

const INTRO = `guardduty-soar on App Host. [resilient] is written by App Host. Set aws_gd_master_region and
aws_gd_regions. For static AWS keys, remove the # in front of aws_gd_access_key_id and
aws_gd_secret_access_key and create the App Host secret AWS_GD_SECRET_ACCESS_KEY, which that value
reads; without them the AWS default chain is used.
Every other key is shown at its default: remove the # to change it. Saving this file restarts the app.`;

export function renderConfigString(): string {
  const lines = [`[${FN_SECTION}]`, ...comment(INTRO).split('\n')];
  for (const [name, spec] of Object.entries(FN_KEYS) as [string, KeySpec<unknown>][]) {
    if (spec.group) lines.push('', ...comment(`---- ${spec.group}`).split('\n'));
    const fallback = spec.required ? 'none (required)' : (describeDefault(spec) ?? 'not set');
    lines.push('', ...comment(`${spec.doc} Default: ${fallback}.`).split('\n'), keyLine(name, spec));
  }
  return `${lines.join('\n')}\n`;
}

function keyLine(name: string, spec: KeySpec<unknown>): string {
  if (spec.required) return `${name} = ${spec.example}`;
  if (spec.secret) return `#${name} = ${spec.example}`;
  return `#${name} = ${spec.default ?? spec.example}`;
}
