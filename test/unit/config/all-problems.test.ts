import { describe, expect, it } from 'vitest';
import { configError } from './config-fixture.js';
import { sandbox } from './config-fixture.js';

const BROKEN = `[resilient]
host = soar.example.com
org = Example Org
api_key_id = key-id
api_key_secret = $API_KEY_SECRET

[fn_aws_guardduty]
aws_gd_master_region = us-east
aws_gd_regions = "^(us|eu"
aws_gd_polling_interval = ten
aws_gd_severity_threshold = 12
aws_gd_create_incident_template = /nowhere/create-incident.json.njk
aws_gd_on_recurrence = sometimes
aws_gd_deleted_incident = never
aws_gd_archive_on_close = maybe
aws_gd_soar_concurrency = 100
aws_gd_finding_criteria = {"severity": {"gte": 7}}
`;

describe('a file with many mistakes', () => {
  it('fails with one ConfigError that lists every problem, each with key, value, expected and hint', () => {
    const error = configError(sandbox(), BROKEN);
    expect(error.problems.map((p) => p.key)).toEqual([
      'resilient.api_key_secret',
      'fn_aws_guardduty.aws_gd_master_region',
      'fn_aws_guardduty.aws_gd_regions',
      'fn_aws_guardduty.aws_gd_polling_interval',
      'fn_aws_guardduty.aws_gd_severity_threshold',
      'fn_aws_guardduty.aws_gd_finding_criteria',
      'fn_aws_guardduty.aws_gd_create_incident_template',
      'fn_aws_guardduty.aws_gd_archive_on_close',
      'fn_aws_guardduty.aws_gd_on_recurrence',
      'fn_aws_guardduty.aws_gd_deleted_incident',
      'fn_aws_guardduty.aws_gd_soar_concurrency',
    ]);
    for (const problem of error.problems) {
      expect(problem.value, problem.key).toEqual(expect.any(String));
      expect(problem.expected, problem.key).not.toBe('');
      expect(problem.hint, problem.key).toEqual(expect.any(String));
    }
    expect(error.problems[5]?.hint).toContain('use greaterThanOrEqual');
  });

  it('says all of it in the message, as the CLI prints it before exiting 2', () => {
    const { message } = configError(sandbox(), BROKEN);
    expect(message.split('\n')[0]).toBe('Configuration has 11 problems:');
    expect(message).toContain('- fn_aws_guardduty.aws_gd_polling_interval: found "ten"; expected a number of minutes of at least 0.');
    expect(message).toContain('- resilient.api_key_secret: found "***"; expected the secret API_KEY_SECRET');
  });
});
