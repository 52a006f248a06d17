import { ExternalServiceError, type ServiceName } from '../core/errors.js';

/**
 * The one place where AWS SDK errors become `ExternalServiceError`. The classes mirror the SDK's own
 * retry classification (smithy `service-error-classification`): throttling and transient errors are
 * retryable, everything else is not. The SDK has already retried retryable ones by the time we see
 * them, so `retryable` here means "try again next cycle", never "retry now".
 */

const THROTTLING_CODES = new Set([
  'BandwidthLimitExceeded', 'EC2ThrottledException', 'LimitExceededException', 'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException',
  'SlowDown', 'ThrottledException', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'TransactionInProgressException',
]);
const TRANSIENT_CODES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'InternalFailure', 'ServiceUnavailable']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'ECONNABORTED', 'EAI_AGAIN']);
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);

const LABELS: Record<ServiceName, string> = { guardduty: 'GuardDuty', ec2: 'EC2', sts: 'STS', s3: 'S3', soar: 'SOAR' };

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $retryable?: { throttling?: boolean };
}

function shape(err: unknown): SdkErrorShape {
  return typeof err === 'object' && err !== null ? err : {};
}

/** The error's code: the modeled name (`BadRequestException`), else a Node code (`ECONNRESET`). */
export function awsErrorCode(err: unknown): string | undefined {
  const e = shape(err);
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
  if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
  return typeof e.code === 'string' ? e.code : undefined;
}

export function awsErrorStatus(err: unknown): number | undefined {
  return shape(err).$metadata?.httpStatusCode;
}

export function awsErrorAttempts(err: unknown): number | undefined {
  return shape(err).$metadata?.attempts;
}

export function isThrottlingError(err: unknown): boolean {
  const code = awsErrorCode(err);
  return awsErrorStatus(err) === 429 || (code !== undefined && THROTTLING_CODES.has(code)) || shape(err).$retryable?.throttling === true;
}

export function isRetryableAwsError(err: unknown): boolean {
  if (err instanceof ExternalServiceError) return err.retryable;
  const status = awsErrorStatus(err);
  const code = awsErrorCode(err);
  return isThrottlingError(err)
    || (status !== undefined && TRANSIENT_STATUSES.has(status))
    || (code !== undefined && (TRANSIENT_CODES.has(code) || NETWORK_CODES.has(code)));
}

export interface AwsCallSite {
  service: ServiceName;
  operation: string;
  region: string;
}

export function classifyAwsError(err: unknown, site: AwsCallSite): ExternalServiceError {
  if (err instanceof ExternalServiceError) return err;
  const status = awsErrorStatus(err);
  const code = awsErrorCode(err) ?? 'UnknownError';
  const raw = typeof shape(err).message === 'string' && shape(err).message !== '' ? (shape(err).message as string) : code;
  const http = status === undefined ? '' : ` (HTTP ${status})`;
  const hint = hintFor(code, raw, site);
  return new ExternalServiceError({
    service: site.service,
    operation: site.operation,
    status,
    code,
    retryable: isRetryableAwsError(err),
    message: `${LABELS[site.service]} ${site.operation} in ${site.region} failed: ${code}${http}: ${raw}${hint ? ` (${hint})` : ''}`,
    cause: err,
  });
}

/** What an operator should look at, for the errors that have an obvious cause. */
function hintFor(code: string, message: string, site: AwsCallSite): string | undefined {
  if (THROTTLING_CODES.has(code)) return 'AWS is throttling; the call is retried on the next cycle';
  if (NETWORK_CODES.has(code) || code === 'TimeoutError') {
    return 'AWS could not be reached: check the network, the proxy settings and any AWS_ENDPOINT_URL_* override';
  }
  switch (code) {
    case 'UnrecognizedClientException':
    case 'InvalidClientTokenId':
    case 'AuthFailure':
      return `the credentials are not valid here: a wrong access key, or ${site.region} is an opt-in region this account has not enabled`;
    case 'ExpiredTokenException':
    case 'ExpiredToken':
    case 'RequestExpired':
      return 'the temporary credentials expired: check the system clock; assumed-role credentials are refreshed automatically';
    case 'AccessDenied':
    case 'AccessDeniedException':
    case 'UnauthorizedOperation':
      return site.operation === 'AssumeRole'
        ? "check the role's trust policy, the role ARN and the external id"
        : `the IAM policy lacks permission for ${site.service}:${site.operation}`;
    case 'CredentialsProviderError':
      return 'no AWS credentials were found: set aws_gd_access_key_id/aws_gd_secret_access_key, or provide credentials to the default chain';
    case 'BadRequestException':
      if (/detectorId/i.test(message)) return 'the detector no longer exists or belongs to another account; regions and detectors are rediscovered';
      if (/administrator|member/i.test(message)) return 'only the GuardDuty administrator account can archive findings';
      return undefined;
    default:
      return undefined;
  }
}
