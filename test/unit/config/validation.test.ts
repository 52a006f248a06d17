import { describe, expect, it } from 'vitest';
import { configText, load, problemFor, problemsOf, sandbox, type ConfigParts } from './config-fixture.js';

const fn = (key: string, value: string | null): ConfigParts => ({ fn: { [key]: value } });

describe('validation: one rule at a time', () => {
  // [what, file parts, problem key, a fragment of "expected" or "hint"]
  const rules: [string, ConfigParts, string, RegExp][] = [
    ['an invalid region regex', fn('aws_gd_regions', '"^(us|eu"'), 'fn_aws_guardduty.aws_gd_regions', /valid regular expression/],
    ['a threshold above 10', fn('aws_gd_severity_threshold', '11'), 'fn_aws_guardduty.aws_gd_severity_threshold', /from 0 to 10/],
    ['a threshold that is not a number', fn('aws_gd_severity_threshold', 'high'), 'fn_aws_guardduty.aws_gd_severity_threshold', /number/],
    ['a polling interval that is not a number', fn('aws_gd_polling_interval', 'ten'), 'fn_aws_guardduty.aws_gd_polling_interval', /number of minutes/],
    ['a negative polling interval', fn('aws_gd_polling_interval', '-1'), 'fn_aws_guardduty.aws_gd_polling_interval', /at least 0/],
    ['a fractional regions interval (IBM reads it with int())', fn('aws_gd_regions_interval', '7.5'), 'fn_aws_guardduty.aws_gd_regions_interval', /whole number/],
    ['a negative lookback', fn('aws_gd_lookback_interval', '-5'), 'fn_aws_guardduty.aws_gd_lookback_interval', /at least 0/],
    ['a quoted master region', fn('aws_gd_master_region', '"us-west-1"'), 'fn_aws_guardduty.aws_gd_master_region', /remove the quotes/],
    ['a master region that is not a region', fn('aws_gd_master_region', 'us-east'), 'fn_aws_guardduty.aws_gd_master_region', /AWS region name/],
    ['an access key without its secret', fn('aws_gd_access_key_id', 'AKIAIOSFODNN7EXAMPLE'), 'fn_aws_guardduty.aws_gd_secret_access_key', /aws_gd_access_key_id is set/],
    ['a secret without its access key', fn('aws_gd_secret_access_key', 'abcdefgh'), 'fn_aws_guardduty.aws_gd_access_key_id', /aws_gd_secret_access_key is set/],
    ['a malformed role ARN', fn('aws_gd_role_arn', 'arn:aws:iam::1234:user/x'), 'fn_aws_guardduty.aws_gd_role_arn', /IAM role ARN/],
    ['a one-letter session name', fn('aws_gd_role_session_name', 'a'), 'fn_aws_guardduty.aws_gd_role_session_name', /2 to 64/],
    ['a session name with a space', fn('aws_gd_role_session_name', 'my session'), 'fn_aws_guardduty.aws_gd_role_session_name', /2 to 64/],
    ['a session duration below 900', fn('aws_gd_session_duration', '899'), 'fn_aws_guardduty.aws_gd_session_duration', /900 to 43200/],
    ['a session duration above 43200', fn('aws_gd_session_duration', '43201'), 'fn_aws_guardduty.aws_gd_session_duration', /900 to 43200/],
    ['a missing create template', fn('aws_gd_create_incident_template', '/no/such/create.njk'), 'fn_aws_guardduty.aws_gd_create_incident_template', /existing file/],
    ['a template path that is a folder', fn('aws_gd_update_incident_template', '.'), 'fn_aws_guardduty.aws_gd_update_incident_template', /not a regular file/],
    ['an unknown recurrence policy', fn('aws_gd_on_recurrence', 'maybe'), 'fn_aws_guardduty.aws_gd_on_recurrence', /reopen, new, ignore/],
    ['an unknown deleted-incident policy', fn('aws_gd_deleted_incident', 'ignore'), 'fn_aws_guardduty.aws_gd_deleted_incident', /recreate, forget/],
    ['an unknown sequence-members policy', fn('aws_gd_sequence_members', 'merge'), 'fn_aws_guardduty.aws_gd_sequence_members', /link, fold, separate/],
    ['a sequence close-members flag that is not a boolean', fn('aws_gd_sequence_close_members', 'members'), 'fn_aws_guardduty.aws_gd_sequence_close_members', /true or false/],
    ['a boolean that is not one', fn('aws_gd_archive_on_close', 'sure'), 'fn_aws_guardduty.aws_gd_archive_on_close', /true or false/],
    ['a concurrency of 0', fn('aws_gd_soar_concurrency', '0'), 'fn_aws_guardduty.aws_gd_soar_concurrency', /1 to 64/],
    ['a concurrency of 65', fn('aws_gd_soar_concurrency', '65'), 'fn_aws_guardduty.aws_gd_soar_concurrency', /1 to 64/],
    ['a concurrency floor of 0', fn('aws_gd_soar_concurrency_min', '0'), 'fn_aws_guardduty.aws_gd_soar_concurrency_min', /1 to 64/],
    ['a fractional concurrency floor', fn('aws_gd_soar_concurrency_min', '2.5'), 'fn_aws_guardduty.aws_gd_soar_concurrency_min', /whole number/],
    ['a concurrency floor above the ceiling', { fn: { aws_gd_soar_concurrency: '8', aws_gd_soar_concurrency_min: '10' } }, 'fn_aws_guardduty.aws_gd_soar_concurrency_min', /at most aws_gd_soar_concurrency \(8\)/],
    ['a concurrency floor above the default ceiling', fn('aws_gd_soar_concurrency_min', '20'), 'fn_aws_guardduty.aws_gd_soar_concurrency_min', /\(16, its default\).*set both to 20/],
    ['a health port above 65535', fn('aws_gd_health_port', '70000'), 'fn_aws_guardduty.aws_gd_health_port', /or off/],
    ['a short account id', fn('aws_gd_accounts_include', '123456789012, 1234'), 'fn_aws_guardduty.aws_gd_accounts_include', /"1234"/],
    ['an account both included and excluded', { fn: { aws_gd_accounts_include: '111111111111', aws_gd_accounts_exclude: '111111111111' } }, 'fn_aws_guardduty.aws_gd_accounts_exclude', /in both lists/],
    ['a bad ARN among role ARNs', fn('aws_gd_role_arns', 'arn:aws:iam::111111111111:role/A, nope'), 'fn_aws_guardduty.aws_gd_role_arns', /"nope"/],
    ['two roles for one account', fn('aws_gd_role_arns', 'arn:aws:iam::111111111111:role/A,arn:aws:iam::111111111111:role/B'), 'fn_aws_guardduty.aws_gd_role_arns', /several roles/],
    ['a role and role-per-account together', { fn: { aws_gd_role_arn: 'arn:aws:iam::111111111111:role/A', aws_gd_role_arns: 'arn:aws:iam::222222222222:role/B' } }, 'fn_aws_guardduty.aws_gd_role_arns', /not both/],
    ['an unknown log level', fn('aws_gd_log_level', 'verbose'), 'fn_aws_guardduty.aws_gd_log_level', /error, warn, info, debug/],
    ['an unknown log format', fn('aws_gd_log_format', 'xml'), 'fn_aws_guardduty.aws_gd_log_format', /json, text, auto/],
    ['an unknown Python log level', { resilient: { loglevel: 'LOUD' } }, 'resilient.loglevel', /DEBUG, INFO/],
    ['a proxy with another scheme', fn('https_proxy', 'socks5://p:1080'), 'fn_aws_guardduty.https_proxy', /not supported/],
    ['a SOAR timeout of 0', { resilient: { timeout: '0' } }, 'resilient.timeout', /at least 1/],
    ['a port that is not a number', { resilient: { port: 'https' } }, 'resilient.port', /whole number/],
    ['criteria with an unknown field', fn('aws_gd_finding_criteria', '{"colour": {"equals": ["red"]}}'), 'fn_aws_guardduty.aws_gd_finding_criteria', /colour is not a ListFindings field/],
    ['criteria repeating the threshold', { fn: { aws_gd_severity_threshold: '4', aws_gd_finding_criteria: '{"severity": {"greaterThanOrEqual": 7}}' } }, 'fn_aws_guardduty.aws_gd_finding_criteria', /repeats aws_gd_severity_threshold/],
    ['a severity map naming an unknown band', fn('aws_gd_severity_map', 'Severe=High'), 'fn_aws_guardduty.aws_gd_severity_map', /not a GuardDuty severity band/],
    ['a feedback map with an unknown feedback', fn('aws_gd_feedback_map', 'Resolved=GOOD'), 'fn_aws_guardduty.aws_gd_feedback_map', /USEFUL, NOT_USEFUL or NONE/],
  ];

  it.each(rules)('reports %s', (_what, parts, key, fragment) => {
    const problem = problemFor(sandbox(), configText(parts), key);
    expect(`${problem.expected} ${problem.hint ?? ''}`).toMatch(fragment);
  });
});

describe('validation: accepted values', () => {
  it('reads IBM\'s threshold 0 and lookback 0 as "not set", and decimals for the threshold', () => {
    const box = sandbox();
    expect(load(box, configText(fn('aws_gd_severity_threshold', '0'))).polling.severityThreshold).toBeUndefined();
    expect(load(box, configText(fn('aws_gd_lookback_interval', '0'))).polling.lookbackMinutes).toBeUndefined();
    expect(load(box, configText(fn('aws_gd_severity_threshold', '7.5'))).polling.severityThreshold).toBe(7.5);
  });

  it('reads the SOAR concurrency range: 1 to 16 by default, pinned when floor and ceiling are equal', () => {
    const box = sandbox();
    expect(load(box, configText({}))).toMatchObject({ soarConcurrencyMin: 1, soarConcurrency: 16 });
    expect(load(box, configText({ fn: { aws_gd_soar_concurrency: '6', aws_gd_soar_concurrency_min: '6' } }))).toMatchObject({ soarConcurrencyMin: 6, soarConcurrency: 6 });
    expect(load(box, configText(fn('aws_gd_soar_concurrency', '2')))).toMatchObject({ soarConcurrencyMin: 1, soarConcurrency: 2 });
  });

  it('accepts polling interval 0 (polling off) and fractions of minutes', () => {
    const box = sandbox();
    expect(load(box, configText(fn('aws_gd_polling_interval', '0'))).polling.pollingIntervalMinutes).toBe(0);
    expect(load(box, configText(fn('aws_gd_polling_interval', '0.25'))).polling.pollingIntervalMinutes).toBe(0.25);
  });

  it.each([['true', true], ['YES', true], ['On', true], ['1', true], ['False', false], ['no', false], ['OFF', false], ['0', false]])(
    'reads the boolean %s',
    (word, expected) => {
      expect(load(sandbox(), configText(fn('aws_gd_include_sample_findings', word))).polling.includeSampleFindings).toBe(expected);
    },
  );

  it.each([['off', undefined], ['OFF', undefined], ['0', undefined], ['9102', 9102]])('reads the health port %s', (value, expected) => {
    expect(load(sandbox(), configText(fn('aws_gd_health_port', value))).healthPort).toBe(expected);
  });

  it('accepts GovCloud and China regions, and strips IBM-style quotes from the regions regex', () => {
    const box = sandbox();
    expect(load(box, configText(fn('aws_gd_master_region', 'us-gov-west-1'))).aws.masterRegion).toBe('us-gov-west-1');
    expect(load(box, configText(fn('aws_gd_master_region', 'cn-north-1'))).aws.masterRegion).toBe('cn-north-1');
    const regions = load(box, configText(fn('aws_gd_regions', `'eu'`))).aws.regions;
    expect(['eu-west-1', 'EU-central-1', 'us-east-1'].filter((r) => regions.test(r))).toEqual(['eu-west-1', 'EU-central-1']);
  });

  it('translates Python-only regex syntax', () => {
    const regions = load(sandbox(), configText(fn('aws_gd_regions', '(?i)^(?P<geo>us|eu)-(?P=geo)?'))).aws.regions;
    expect(regions.test('US-east-1')).toBe(true);
  });

  it('takes [resilient] loglevel when aws_gd_log_level is not set, and aws_gd_log_level over it', () => {
    const box = sandbox();
    expect(load(box, configText({ resilient: { loglevel: 'WARNING' } })).logLevel).toBe('warn');
    expect(load(box, configText({ resilient: { loglevel: 'DEBUG' }, fn: { aws_gd_log_level: 'error' } })).logLevel).toBe('error');
  });

  it('lets the app section\'s proxies and timeout win over [integrations]', () => {
    const config = load(sandbox(), configText({
      integrations: { http_proxy: 'http://shared:1', https_proxy: 'http://shared:2', timeout: '10' },
      fn: { https_proxy: 'http://mine:3' },
    }));
    expect(config.aws).toMatchObject({ httpProxy: 'http://shared:1', httpsProxy: 'http://mine:3', timeoutMs: 10_000 });
  });

  it('warns when role settings are given without a role', () => {
    const config = load(sandbox(), configText(fn('aws_gd_session_duration', '7200')));
    expect(config.warnings).toEqual([expect.stringContaining('aws_gd_session_duration ignored')]);
  });
});

describe('validation: unknown keys and sections', () => {
  it('warns about an unknown key, naming the closest known key, and still loads', () => {
    // A misspelt key that narrows what is escalated is a problem instead (typos.test.ts).
    const config = load(sandbox(), configText({ fn: { aws_gd_polling_intervall: '5', aws_gd_soar_concurency: '7', colour: 'blue' } }));
    expect(config.warnings).toEqual([
      'Unknown key [fn_aws_guardduty] aws_gd_polling_intervall: did you mean aws_gd_polling_interval?',
      'Unknown key [fn_aws_guardduty] aws_gd_soar_concurency: did you mean aws_gd_soar_concurrency?',
      'Unknown key [fn_aws_guardduty] colour: no known key of [fn_aws_guardduty] is similar; it is ignored.',
    ]);
  });

  it('says which section a misplaced key belongs to', () => {
    const config = load(sandbox(), configText({ resilient: { https_proxy: 'http://p:1' } }));
    expect(config.warnings).toEqual(['Unknown key [resilient] https_proxy: it belongs in the [integrations] section, where it is read.']);
  });

  it('ignores other apps\' sections silently and warns about a section in the wrong case', () => {
    const text = `${configText()}\n[fn_utilities]\nanything = goes\n\n[Integrations]\nhttp_proxy = http://p:1\n`;
    expect(load(sandbox(), text).warnings).toEqual([expect.stringContaining('[Integrations] is ignored: section names are case-sensitive')]);
  });

  it('reports INI syntax problems with their line', () => {
    const problems = problemsOf(sandbox(), `${configText()}not a key line\n`);
    expect(problems).toEqual([expect.objectContaining({ key: 'line 10', expected: 'a "key = value" line', hint: expect.stringMatching(/^line 10: /) })]);
  });
});
