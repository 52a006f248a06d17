import { accessKey, awsApiCall, type SampleTemplate } from './sample-actions.js';
import type { SampleContext } from './sample-finding-parts.js';
import type { JsonObject } from '../../protocol/wire.js';

/**
 * The IAM anomaly findings (`*:IAMUser/AnomalousBehavior`): GuardDuty's anomaly detection saw an API
 * call unusual for the user or the account, and says what was unusual against which profile in
 * `service.detection.anomaly` (profiles: what each profile usually sees per feature; unusual: what
 * this activity had instead). [I] The model types both as maps of maps; the profile and feature
 * names (USER, ACCOUNT; api, asn, userAgent, userName) are our reading of GuardDuty's console.
 */
export function anomalyTemplates(): SampleTemplate[] {
  const anomalous = (type: string, severity: number, api: string, service: string, tactic: string): SampleTemplate => ({
    type, severity,
    build: (ctx) => {
      const action = awsApiCall(ctx, api, service);
      const call = action.awsApiCallAction as JsonObject;
      const asn = text(((call.remoteIpDetails as JsonObject).organization as JsonObject).asn);
      return {
        title: `User is anomalously invoking APIs commonly used in ${tactic} tactics.`,
        description: `APIs commonly used in ${tactic} tactics were invoked by an IAM principal under unusual circumstances.`,
        resource: accessKey(ctx),
        action,
        service: { detection: { anomaly: anomaly(ctx, api, asn, text(call.userAgent)) } },
      };
    },
  });
  return [
    anomalous('Discovery:IAMUser/AnomalousBehavior', 5, 'ListBuckets', 's3.amazonaws.com', 'Discovery'),
    anomalous('Persistence:IAMUser/AnomalousBehavior', 5, 'CreateAccessKey', 'iam.amazonaws.com', 'Persistence'),
    anomalous('Exfiltration:IAMUser/AnomalousBehavior', 8, 'CreateSnapshot', 'ec2.amazonaws.com', 'Exfiltration'),
  ];
}

function anomaly(ctx: SampleContext, api: string, asn: string, userAgent: string): JsonObject {
  const seen = (subtype: string, ...text: string[]): JsonObject => ({ profileType: 'FREQUENCY', profileSubtype: subtype, observations: { text } });
  return {
    profiles: {
      USER: {
        api: [seen('FREQUENT', 'GetObject', 'PutObject', 'DescribeInstances')],
        asn: [seen('FREQUENT', '16509'), seen('INFREQUENT', String(ctx.prng.int(64512, 65534)))],
      },
      ACCOUNT: { userAgent: [seen('FREQUENT', 'Boto3/1.34.0 md/Botocore#1.34.0'), seen('INFREQUENT', 'console.amazonaws.com')] },
    },
    unusual: {
      behavior: {
        USER: { api: seen('UNSEEN', api), asn: seen('UNSEEN', asn) },
        ACCOUNT: { userAgent: seen(ctx.prng.pick(['RARE', 'UNSEEN']), userAgent) },
      },
    },
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
