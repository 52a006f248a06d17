import { text } from '../protocol/query-protocol.js';
import { S3Error, type AwsServiceError } from '../protocol/service-error.js';

/**
 * S3's restXml errors: `<Error><Code/><Message/>…<RequestId/><HostId/></Error>` with the extra
 * elements S3 adds per code (Key, BucketName, Condition, Region, Header). A HEAD answer has no body,
 * so the SDK sees only the status (NotFound, Forbidden, …), as with real S3.
 */
export function s3ErrorXml(error: AwsServiceError, requestId: string, hostId: string): string {
  const details = error instanceof S3Error ? Object.entries(error.details).map(([k, v]) => text(k, v)).join('') : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${text('Code', error.code)}${text('Message', error.message)}${details}${text('RequestId', requestId)}${text('HostId', hostId)}</Error>`;
}
