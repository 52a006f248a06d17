import type { AwsService } from './wire.js';

/**
 * An error the emulator answers with. The server renders it in the protocol of the service that was
 * called: GuardDuty JSON with `x-amzn-ErrorType`, EC2 `<Response><Errors>`, STS `<ErrorResponse>`.
 */
export class AwsServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** GuardDuty's body `__type`, which differs from the header (`InvalidInputException`). */
    readonly wireType: string = code,
  ) {
    super(message);
  }
}

/** An S3 error, with the extra elements S3's restXml body carries for its code (Key, BucketName, …). */
export class S3Error extends AwsServiceError {
  constructor(status: number, code: string, message: string, readonly details: Record<string, string> = {}) {
    super(status, code, message);
  }
}

/** GuardDuty's own 400: header `BadRequestException`, body `__type` `InvalidInputException` (as AWS sends). */
export function badRequest(message: string): AwsServiceError {
  return new AwsServiceError(400, 'BadRequestException', message, 'InvalidInputException');
}

export function invalidParameter(name: string, detail?: string): AwsServiceError {
  const suffix = detail ? ` ${detail}` : '';
  return badRequest(`The request is rejected because the parameter ${name} has an invalid value.${suffix}`);
}

export function unknownDetector(): AwsServiceError {
  return badRequest('The request is rejected because the input detectorId is not owned by the current account.');
}

/** The error a fault injects for an HTTP status, in the service's own vocabulary. [I] for the texts. */
export function faultError(service: AwsService, status: number): AwsServiceError {
  if (service === 's3') return s3FaultError(status);
  if (service === 'guardduty') {
    if (status === 429) return new AwsServiceError(429, 'TooManyRequestsException', 'Too Many Requests');
    if (status >= 500) {
      return new AwsServiceError(status, 'InternalServerErrorException', 'The request is rejected since an internal exception was encountered.', 'InternalException');
    }
    if (status === 403) return new AwsServiceError(403, 'AccessDeniedException', 'Access denied (injected fault).');
    return badRequest('The request is rejected (injected fault).');
  }
  if (service === 'ec2') {
    if (status === 503) return new AwsServiceError(503, 'RequestLimitExceeded', 'Request limit exceeded.');
    if (status >= 500) return new AwsServiceError(status, 'InternalError', 'An internal error has occurred.');
    if (status === 401 || status === 403) return new AwsServiceError(status, 'UnauthorizedOperation', 'You are not authorized to perform this operation.');
    return new AwsServiceError(status, 'InvalidParameterValue', 'Injected fault.');
  }
  // STS throttles with 400 Throttling (the SDK retries it by name). [I]
  if (status === 400) return new AwsServiceError(400, 'Throttling', 'Rate exceeded');
  if (status >= 500) return new AwsServiceError(status, 'InternalFailure', 'An internal error occurred.');
  return new AwsServiceError(status, 'AccessDenied', 'Access denied (injected fault).');
}

export type AuthProblem = 'missing' | 'malformed' | 'unknown-key' | 'bad-token' | 'expired' | 'region-disabled';

/**
 * How each front end rejects a caller. [I] GuardDuty sits behind API Gateway, which answers a request
 * without SigV4 with 403 MissingAuthenticationTokenException; EC2 answers 401 AuthFailure; STS uses
 * its awsQuery codes (the modeled ExpiredTokenException is 400).
 */
export function authError(service: AwsService, problem: AuthProblem, region: string): AwsServiceError {
  const invalid = 'The security token included in the request is invalid.';
  const expired = 'The security token included in the request is expired';
  if (service === 's3') return s3AuthError(problem);
  if (service === 'guardduty') {
    switch (problem) {
      case 'missing':
        return new AwsServiceError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
      case 'malformed':
        return new AwsServiceError(403, 'IncompleteSignatureException', "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
      case 'expired':
        return new AwsServiceError(403, 'ExpiredTokenException', expired);
      default:
        return new AwsServiceError(403, 'UnrecognizedClientException', invalid);
    }
  }
  if (service === 'ec2') {
    if (problem === 'expired') return new AwsServiceError(400, 'RequestExpired', 'Request has expired.');
    return new AwsServiceError(401, 'AuthFailure', 'AWS was not able to validate the provided access credentials');
  }
  switch (problem) {
    case 'missing':
      return new AwsServiceError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
    case 'malformed':
      return new AwsServiceError(400, 'IncompleteSignature', "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
    case 'expired':
      return new AwsServiceError(400, 'ExpiredTokenException', expired);
    case 'region-disabled':
      return new AwsServiceError(403, 'RegionDisabledException', `STS is not activated in this region (${region}) for this account.`);
    default:
      return new AwsServiceError(403, 'InvalidClientTokenId', invalid);
  }
}

/** [I] S3's codes for a caller it cannot authenticate (a missing signature is an anonymous caller). */
export function s3AuthError(problem: AuthProblem): S3Error {
  switch (problem) {
    case 'missing':
      return new S3Error(403, 'AccessDenied', 'Access Denied');
    case 'malformed':
      return new S3Error(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
    case 'expired':
      return new S3Error(400, 'ExpiredToken', 'The provided token has expired.');
    case 'bad-token':
      return new S3Error(400, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
    default:
      return new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  }
}

/** An injected fault in S3's words: 503 SlowDown (the SDK's throttling), 500 InternalError, … [I] */
export function s3FaultError(status: number): S3Error {
  if (status === 503) return new S3Error(503, 'SlowDown', 'Please reduce your request rate.');
  if (status >= 500) return new S3Error(status, 'InternalError', 'We encountered an internal error. Please try again.');
  if (status === 403) return new S3Error(403, 'AccessDenied', 'Access Denied (injected fault).');
  return new S3Error(status, 'InvalidRequest', 'Injected fault.');
}
