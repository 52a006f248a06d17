import { z } from 'zod';
import { ExternalServiceError } from '../core/errors.js';

/** SOAR's session and org answers, as the org discovery reads them (only the fields it uses). */

export const sessionSchema = z.object({
  orgs: z.array(z.object({
    id: z.number(),
    name: z.string(),
    uuid: z.string().nullish(),
    cloud_account: z.string().nullish(),
    enabled: z.boolean().default(true),
  })).default([]),
  session_ip: z.string().nullish(),
  // Who the session is: a message destination lists one of these to let it subscribe (functions).
  api_key_handle: z.number().nullish(),
  user_id: z.number().nullish(),
});
export type SessionBody = z.infer<typeof sessionSchema>;

/** `GET /rest/orgs/{id}`: whether the org runs functions at all. */
export const orgSchema = z.object({ actions_framework_enabled: z.boolean().default(true) });

/** contract §1.4: per org, `cloud_account`, then `uuid`, then `name`; the org must be enabled. */
export function selectOrg(session: SessionBody, wanted: string, operation: string): SessionBody['orgs'][number] {
  const fail = (code: string, message: string): never => {
    throw new ExternalServiceError({ service: 'soar', operation, retryable: false, code, message });
  };
  if (session.orgs.length === 0) {
    return fail('NO_ORGS', 'no orgs: the SOAR user or API key is a member of no org; add it to the org in SOAR');
  }
  const org = session.orgs.find((o) => o.cloud_account === wanted || o.uuid === wanted || o.name === wanted);
  if (!org) {
    const names = session.orgs.map((o) => o.name).join(', ');
    return fail('ORG_NOT_FOUND', `user is not a member of org '${wanted}'; member of: ${names}. Set [resilient] org to one of these`);
  }
  if (!org.enabled) {
    const ip = session.session_ip ? ` (session from ${session.session_ip})` : '';
    return fail('ORG_DISABLED', `org '${wanted}' is disabled${ip}; enable it in SOAR or choose another org`);
  }
  return org;
}
