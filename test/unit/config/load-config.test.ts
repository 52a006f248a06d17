import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configText, load, problemFor, problemsOf, sandbox } from './config-fixture.js';

describe('loadConfig: a minimal file', () => {
  it('fills every default', () => {
    const box = sandbox();
    const config = load(box, configText());
    expect(config.soar).toEqual({
      baseUrl: 'https://soar.example.com:443',
      resourcePrefix: '',
      org: 'Example Org',
      auth: { kind: 'apikey', id: 'key-id-1', secret: 'Sup3r-Secret-Key' },
      cafile: undefined,
      timeoutMs: 60_000,
      proxy: undefined,
    });
    expect(config.aws).toEqual({
      accessKeyId: undefined,
      secretAccessKey: undefined,
      roleArn: undefined,
      roleArns: [],
      roleSessionName: 'guardduty-soar-host-1',
      sessionDurationSeconds: 3600,
      externalId: undefined,
      masterRegion: 'us-east-1',
      regions: /^us-/i,
      httpProxy: undefined,
      httpsProxy: undefined,
      timeoutMs: 30_000,
    });
    expect(config.polling).toEqual({
      regionsIntervalMinutes: 60,
      pollingIntervalMinutes: 10,
      severityThreshold: undefined,
      lookbackMinutes: undefined,
      cursorOverlapMinutes: 5,
      accountsInclude: [],
      accountsExclude: [],
      includeSampleFindings: false,
      findingTypesInclude: undefined,
      findingTypesExclude: undefined,
      extraCriteria: {},
    });
    expect(config.sync).toEqual({
      archiveOnClose: true,
      closeOnArchive: true,
      onRecurrence: 'reopen',
      onDeletedIncident: 'recreate',
      sequenceMembers: 'link',
      closeSequenceMembers: false,
      feedbackMap: { 'Not an Issue': 'NOT_USEFUL', Duplicate: 'NOT_USEFUL', Resolved: 'USEFUL' },
      suppressOnResolution: [],
      suppressMode: 'propose',
      suppressBy: 'resource',
    });
    expect(config.templates).toEqual({
      create: join(box.templatesDir, 'create-incident.json.njk'),
      update: join(box.templatesDir, 'update-incident.json.njk'),
      close: join(box.templatesDir, 'close-incident.json.njk'),
    });
    expect(config.severityMap).toEqual({ Low: 'Low', Medium: 'Medium', High: 'High', Critical: 'High' });
    expect(config.dbPath).toBe(resolve(box.dir, 'data/guardduty-soar.db'));
    expect(config).toMatchObject({ soarConcurrency: 16, soarConcurrencyMin: 1, healthPort: undefined, logLevel: 'info', logFormat: undefined, warnings: [] });
  });

  it('treats an empty value like an absent key (IBM files often leave keys empty)', () => {
    const config = load(sandbox(), configText({ fn: { aws_gd_severity_threshold: '', aws_gd_close_incident_template: '' } }));
    expect(config.polling.severityThreshold).toBeUndefined();
    expect(config.templates.close).toMatch(/close-incident\.json\.njk$/);
  });
});

describe('loadConfig: every key set', () => {
  it('reads each value', () => {
    const box = sandbox();
    box.write('close.njk', '{}');
    box.write('ca.pem', 'pem');
    const config = load(box, configText({
      resilient: { host: 'http://127.0.0.1:4010', resource_prefix: 'api/respond/', cafile: 'ca.pem', timeout: '15', loglevel: 'DEBUG' },
      integrations: { https_proxy: 'http://shared:3128', timeout: '20' },
      fn: {
        aws_gd_access_key_id: 'AKIAIOSFODNN7EXAMPLE',
        aws_gd_secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        aws_gd_role_arn: 'arn:aws:iam::123456789012:role/path/GuardDutySoar',
        aws_gd_role_session_name: 'soar@prod',
        aws_gd_session_duration: '900',
        aws_gd_external_id: 'ext-1234',
        aws_gd_regions: '"^(us|eu)-"',
        aws_gd_regions_interval: '30',
        aws_gd_polling_interval: '0.5',
        aws_gd_severity_threshold: '7.5',
        aws_gd_lookback_interval: '120',
        aws_gd_cursor_overlap: '2',
        aws_gd_accounts_include: '111111111111, 222222222222,',
        aws_gd_include_sample_findings: 'Yes',
        aws_gd_finding_types_include: '^Backdoor:',
        aws_gd_finding_types_exclude: 'PortProbe',
        aws_gd_finding_criteria: '{"resource.resourceType": {"Equals": ["Instance"]}, "confidence": {"greaterThan": 5}}',
        aws_gd_close_incident_template: 'close.njk',
        aws_gd_archive_on_close: 'off',
        aws_gd_close_on_archive: '0',
        aws_gd_on_recurrence: 'NEW',
        aws_gd_deleted_incident: 'Forget',
        aws_gd_sequence_members: 'Fold',
        aws_gd_sequence_close_members: 'yes',
        aws_gd_severity_map: 'Critical=Critical; low=Informational',
        aws_gd_feedback_map: 'Duplicate=NONE; False Positive=not_useful',
        aws_gd_suppress_on_resolution: 'Not an Issue; False Positive, benign ; not an issue',
        aws_gd_suppress_mode: 'Create',
        aws_gd_suppress_by: 'remote_ip',
        aws_gd_db_path: 'state/gd.db',
        aws_gd_soar_concurrency: '16',
        aws_gd_health_port: '9102',
        aws_gd_log_format: 'text',
        http_proxy: 'proxy.local:8080',
        timeout: '45',
      },
    }));
    expect(config.soar).toMatchObject({ baseUrl: 'http://127.0.0.1:4010', resourcePrefix: '/api/respond', cafile: join(box.dir, 'ca.pem'), timeoutMs: 15_000 });
    expect(config.aws).toMatchObject({
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      roleArn: 'arn:aws:iam::123456789012:role/path/GuardDutySoar',
      roleSessionName: 'soar@prod',
      sessionDurationSeconds: 900,
      externalId: 'ext-1234',
      httpProxy: 'http://proxy.local:8080',
      httpsProxy: 'http://shared:3128',
      timeoutMs: 45_000,
    });
    expect(config.aws.regions.test('EU-west-1')).toBe(true);
    expect(config.aws.regions.test('ap-south-1')).toBe(false);
    expect(config.polling).toMatchObject({
      regionsIntervalMinutes: 30,
      pollingIntervalMinutes: 0.5,
      severityThreshold: 7.5,
      lookbackMinutes: 120,
      cursorOverlapMinutes: 2,
      accountsInclude: ['111111111111', '222222222222'],
      includeSampleFindings: true,
      extraCriteria: { 'resource.resourceType': { Equals: ['Instance'] }, confidence: { GreaterThan: 5 } },
    });
    expect(config.polling.findingTypesInclude?.test('backdoor:EC2/C&CActivity.B')).toBe(true);
    expect(config.sync).toEqual({
      archiveOnClose: false,
      closeOnArchive: false,
      onRecurrence: 'new',
      onDeletedIncident: 'forget',
      sequenceMembers: 'fold',
      closeSequenceMembers: true,
      feedbackMap: { 'Not an Issue': 'NOT_USEFUL', Resolved: 'USEFUL', 'False Positive': 'NOT_USEFUL' },
      suppressOnResolution: ['Not an Issue', 'False Positive, benign', 'not an issue'],
      suppressMode: 'create',
      suppressBy: 'remote_ip',
    });
    expect(config.templates.close).toBe(join(box.dir, 'close.njk'));
    expect(config.severityMap).toEqual({ Low: 'Informational', Medium: 'Medium', High: 'High', Critical: 'Critical' });
    expect(config).toMatchObject({ dbPath: join(box.dir, 'state/gd.db'), soarConcurrency: 16, healthPort: 9102, logLevel: 'debug', logFormat: 'text' });
  });
});

describe('loadConfig: [resilient] host, port, login and proxy', () => {
  const base = (resilient: Record<string, string | null>) => load(sandbox(), configText({ resilient })).soar;

  it('honours the scheme of a host URL and takes the port from the URL, the port key or 443', () => {
    expect(base({ host: 'http://127.0.0.1' }).baseUrl).toBe('http://127.0.0.1:443');
    expect(base({ host: 'soar.example.com', port: '8443' }).baseUrl).toBe('https://soar.example.com:8443');
    expect(base({ host: 'https://[::1]:9443/' }).baseUrl).toBe('https://[::1]:9443');
    expect(base({ host: 'http://soar.local:80' }).baseUrl).toBe('http://soar.local:80');
  });

  it('rejects a host with a path, another scheme, or a port different from the port key', () => {
    const box = sandbox();
    expect(problemFor(box, configText({ resilient: { host: 'https://soar/api/respond' } }), 'resilient.host').hint).toContain('resource_prefix');
    expect(problemFor(box, configText({ resilient: { host: 'ftp://soar' } }), 'resilient.host').expected).toContain('http(s) URL');
    expect(problemFor(box, configText({ resilient: { host: 'http://soar:80', port: '81' } }), 'resilient.port').value).toBe('81');
  });

  it('accepts email and password instead of an API key, and needs one complete pair', () => {
    expect(base({ api_key_id: null, api_key_secret: null, email: 'a@b.c', password: 'pw-123' }).auth).toEqual({ kind: 'password', email: 'a@b.c', password: 'pw-123' });
    const box = sandbox();
    expect(problemFor(box, configText({ resilient: { api_key_secret: null } }), 'resilient.api_key_secret').expected).toContain('api_key_id is set');
    expect(problemFor(box, configText({ resilient: { api_key_id: null, api_key_secret: null } }), 'resilient.api_key_id').expected).toContain('or email and password');
    expect(problemFor(box, configText({ resilient: { api_key_id: null, api_key_secret: null, email: 'a@b.c' } }), 'resilient.password')).toBeDefined();
  });

  it('builds one proxy URL from proxy_host/port/user/password, https by default, credentials encoded', () => {
    const soar = base({ proxy_host: 'proxy.corp', proxy_port: '3128', proxy_user: 'us@er', proxy_password: 'p:ss/1' });
    expect(soar.proxy).toEqual({ url: 'https://us%40er:p%3Ass%2F1@proxy.corp:3128', source: '[resilient] proxy_host' });
    expect(base({ proxy_host: 'http://proxy.corp' }).proxy).toEqual({ url: 'http://proxy.corp', source: '[resilient] proxy_host' });
    const box = sandbox();
    expect(problemFor(box, configText({ resilient: { proxy_port: '3128' } }), 'resilient.proxy_host').expected).toContain('proxy_port is set');
    expect(problemFor(box, configText({ resilient: { proxy_host: 'p', proxy_password: 'x' } }), 'resilient.proxy_user')).toBeDefined();
  });

  it('turns TLS verification off with cafile = false, with a loud warning, and checks a cafile path', () => {
    const box = sandbox();
    const config = load(box, configText({ resilient: { cafile: 'FALSE' } }));
    expect(config.soar.cafile).toBe(false);
    expect(config.warnings).toEqual([expect.stringContaining('NOT verified')]);
    expect(problemFor(box, configText({ resilient: { cafile: '/no/such/ca.pem' } }), 'resilient.cafile').expected).toContain('or false');
  });
});

describe('loadConfig: required keys', () => {
  it('names each missing key with an example', () => {
    const box = sandbox();
    const problems = problemsOf(box, configText({ resilient: { host: null, org: null }, fn: { aws_gd_master_region: null, aws_gd_regions: null } }));
    expect(problems.map((p) => p.key)).toEqual(['resilient.host', 'resilient.org', 'fn_aws_guardduty.aws_gd_master_region', 'fn_aws_guardduty.aws_gd_regions']);
    for (const p of problems) expect(p).toEqual({ key: p.key, expected: expect.stringContaining('a value, e.g.'), hint: expect.stringContaining('add "') });
  });

  it('reports a missing [fn_aws_guardduty] section through its required keys', () => {
    const text = '[resilient]\nhost = h\norg = o\napi_key_id = i\napi_key_secret = s\n';
    expect(problemsOf(sandbox(), text).map((p) => p.key)).toEqual(['fn_aws_guardduty.aws_gd_master_region', 'fn_aws_guardduty.aws_gd_regions']);
  });
});

describe('loadConfig: attack-sequence members', () => {
  it('closing folded members with their sequence without folding them is said to have no effect', () => {
    const box = sandbox();
    expect(load(box, configText({ fn: { aws_gd_sequence_close_members: 'true' } })).warnings).toEqual([
      expect.stringMatching(/^aws_gd_sequence_close_members = true has no effect with aws_gd_sequence_members = link/),
    ]);
    expect(load(box, configText({ fn: { aws_gd_sequence_close_members: 'true', aws_gd_sequence_members: 'fold' } })).warnings).toEqual([]);
  });
});
