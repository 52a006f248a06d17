import { EC2Client } from '@aws-sdk/client-ec2';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { STSClient } from '@aws-sdk/client-sts';

/** Real SDK clients pointed at the emulator, with dummy static credentials. */

export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const DEFAULT_KEY: TestCredentials = { accessKeyId: 'AKIAEMULATOR00000001', secretAccessKey: 'emulator-secret' };

export function clients(url: string, credentials: TestCredentials = DEFAULT_KEY, region = 'us-east-1') {
  const config = { endpoint: url, region, credentials, maxAttempts: 3 };
  return {
    gd: new GuardDutyClient(config),
    ec2: new EC2Client(config),
    sts: new STSClient(config),
  };
}
