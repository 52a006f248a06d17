import { describe, expect, it } from 'vitest';
import { formatCheckLine } from '../../../src/commands/check-output.js';
import { classifyFailure, explainFailure, type FailureClass } from '../../../src/commands/check-hints.js';
import { ExternalServiceError, type ServiceName } from '../../../src/core/errors.js';

const failure = (service: ServiceName, operation: string, status: number | undefined, code: string | undefined): ExternalServiceError =>
  new ExternalServiceError({ service, operation, status, code, retryable: false, message: `${operation} failed: ${code ?? status ?? ''}` });

describe('classifyFailure: what the operator has to fix', () => {
  const cases: [string, ExternalServiceError, FailureClass][] = [
    // AWS answers a bad access key with 403: the code decides, not the status.
    ['unknown AWS access key (STS 403)', failure('sts', 'GetCallerIdentity', 403, 'InvalidClientTokenId'), 'credentials'],
    ['unknown AWS access key (GuardDuty 403)', failure('guardduty', 'ListDetectors', 403, 'UnrecognizedClientException'), 'credentials'],
    ['EC2 401', failure('ec2', 'DescribeRegions', 401, 'AuthFailure'), 'credentials'],
    ['expired session', failure('guardduty', 'ListFindings', 403, 'ExpiredTokenException'), 'expired'],
    ['missing IAM permission', failure('guardduty', 'ListFindings', 403, 'AccessDeniedException'), 'permissions'],
    ['EC2 missing permission', failure('ec2', 'DescribeRegions', 403, 'UnauthorizedOperation'), 'permissions'],
    ['role trust refused', failure('sts', 'AssumeRole', 403, 'AccessDenied'), 'trust'],
    ['no credentials anywhere', failure('sts', 'GetCallerIdentity', undefined, 'CredentialsProviderError'), 'no-credentials'],
    ['STS throttling (400)', failure('sts', 'GetCallerIdentity', 400, 'Throttling'), 'throttled'],
    ['GuardDuty throttling (429)', failure('guardduty', 'ListFindings', 429, 'TooManyRequestsException'), 'throttled'],
    ['bad parameter', failure('guardduty', 'ListFindings', 400, 'BadRequestException'), 'configuration'],
    ['wrong endpoint path', failure('guardduty', 'ListDetectors', 404, 'UnknownOperationException'), 'address'],
    ['proxy credentials', failure('sts', 'GetCallerIdentity', 407, 'UnknownError'), 'proxy-auth'],
    ['AWS 5xx', failure('guardduty', 'GetFindings', 500, 'InternalServerErrorException'), 'service'],
    ['DNS', failure('sts', 'GetCallerIdentity', undefined, 'ENOTFOUND'), 'dns'],
    ['DNS, temporary', failure('soar', 'GET /rest/session', undefined, 'EAI_AGAIN'), 'dns'],
    ['refused', failure('soar', 'GET /rest/session', undefined, 'ECONNREFUSED'), 'refused'],
    ['socket timeout', failure('soar', 'GET /rest/session', undefined, 'ETIMEDOUT'), 'timeout'],
    ['SDK request timeout', failure('sts', 'GetCallerIdentity', undefined, 'TimeoutError'), 'timeout'],
    ['reset', failure('soar', 'GET /rest/session', undefined, 'ECONNRESET'), 'reset'],
    ['untrusted certificate', failure('soar', 'GET /rest/session', undefined, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'tls'],
    ['self-signed certificate', failure('soar', 'GET /rest/session', undefined, 'DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls'],
    ['expired certificate', failure('soar', 'GET /rest/session', undefined, 'CERT_HAS_EXPIRED'), 'tls'],
    ['SOAR 400', failure('soar', 'GET /rest/session', 400, undefined), 'configuration'],
    ['SOAR 401', failure('soar', 'GET /rest/session', 401, undefined), 'credentials'],
    ['SOAR 403', failure('soar', 'GET /rest/session', 403, undefined), 'permissions'],
    ['SOAR 404', failure('soar', 'GET /rest/session', 404, 'generic'), 'address'],
    ['SOAR proxy 407', failure('soar', 'GET /rest/session', 407, undefined), 'proxy-auth'],
    ['SOAR 429', failure('soar', 'GET /rest/session', 429, undefined), 'throttled'],
    ['SOAR 503', failure('soar', 'GET /rest/session', 503, undefined), 'service'],
    ['org not found', failure('soar', 'GET /rest/session', undefined, 'ORG_NOT_FOUND'), 'org'],
    ['org disabled', failure('soar', 'GET /rest/session', undefined, 'ORG_DISABLED'), 'org'],
  ];
  it.each(cases)('%s', (_name, err, expected) => {
    expect(classifyFailure(err)).toBe(expected);
  });

  it('anything that is not a service error is unknown (a bug, see the log)', () => {
    expect(classifyFailure(new Error('boom'))).toBe('unknown');
    expect(explainFailure(new Error('boom'), 'aws')).toEqual({ class: 'unknown', reason: 'boom', fix: 'See the log for details.' });
  });
});

describe('explainFailure: the fix names the setting', () => {
  it('names the missing IAM permission', () => {
    expect(explainFailure(failure('guardduty', 'ListFindings', 403, 'AccessDeniedException'), 'aws', 'guardduty:ListFindings').fix)
      .toContain('(guardduty:ListFindings)');
  });

  it('points AWS and SOAR failures of the same class at different settings', () => {
    const aws = explainFailure(failure('sts', 'GetCallerIdentity', undefined, 'ETIMEDOUT'), 'aws').fix;
    const soar = explainFailure(failure('soar', 'GET /rest/session', undefined, 'ETIMEDOUT'), 'soar').fix;
    expect(aws).toContain('[integrations] timeout');
    expect(soar).toContain('[resilient] timeout');
    expect(explainFailure(failure('soar', 'GET /rest/session', undefined, 'SELF_SIGNED_CERT_IN_CHAIN'), 'soar').fix).toContain('cafile');
    expect(explainFailure(failure('sts', 'AssumeRole', 403, 'AccessDenied'), 'aws').fix).toContain('aws_gd_external_id');
  });
});

describe('formatCheckLine', () => {
  it('is one line: verdict, name, reason, fix, whatever newlines the service put in its message', () => {
    expect(formatCheckLine({ verdict: 'FAIL', name: 'SOAR org', detail: 'not\na member', fix: 'Set org.\n' })).toBe('FAIL  SOAR org: not a member  Fix: Set org.');
    expect(formatCheckLine({ verdict: 'OK', name: 'AWS regions', detail: '4 enabled' })).toBe('OK    AWS regions: 4 enabled');
  });
});
