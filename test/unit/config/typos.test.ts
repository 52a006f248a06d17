import { describe, expect, it } from 'vitest';
import type { KeySpec } from '../../../src/config/key-spec.js';
import { FN_KEYS } from '../../../src/config/keys.js';
import { loadDbPath } from '../../../src/config/load-config.js';
import { configText, load, problemFor, problemsOf, sandbox } from './config-fixture.js';

/** A misspelt key is named with the key it resembles, whether the key is required or optional. */

describe('a misspelt required key', () => {
  it('"missing" also names the key written, its line, and the rename', () => {
    const text = configText({ fn: { aws_gd_master_region: null, aws_gd_master_regoin: 'us-east-1' } });
    const problem = problemFor(sandbox(), text, 'fn_aws_guardduty.aws_gd_master_region');
    const line = text.split('\n').findIndex((l) => l.startsWith('aws_gd_master_regoin')) + 1;
    expect(problem.value).toBeUndefined();
    expect(problem.hint).toMatch(new RegExp(`^did you mean aws_gd_master_region for the key aws_gd_master_regoin you wrote on line ${line}\\? Rename it, or add "aws_gd_master_region = `));
  });

  it('works in [resilient] too, and says nothing when no written key resembles the missing one', () => {
    const typo = problemFor(sandbox(), configText({ resilient: { org: null, orgg: 'Example Org' } }), 'resilient.org');
    expect(typo.hint).toContain('did you mean org for the key orgg you wrote on line');
    const plain = problemFor(sandbox(), configText({ resilient: { org: null } }), 'resilient.org');
    expect(plain.hint).not.toContain('did you mean');
  });
});

describe('a misspelt optional key', () => {
  it('is a warning naming the closest key (the value it was meant to change is not silently defaulted)', () => {
    const config = load(sandbox(), configText({ fn: { aws_gd_polling_intervl: '5' } }));
    expect(config.polling.pollingIntervalMinutes).toBe(10);
    expect(config.warnings).toEqual(['Unknown key [fn_aws_guardduty] aws_gd_polling_intervl: did you mean aws_gd_polling_interval?']);
  });
});

describe('a misspelt key that decides what is escalated', () => {
  it('is a problem, not a warning: the filter would not be in force and everything it leaves out would be escalated', () => {
    const text = configText({ fn: { aws_gd_severity_treshold: '7' } });
    const line = text.split('\n').findIndex((l) => l.startsWith('aws_gd_severity_treshold')) + 1;
    expect(problemFor(sandbox(), text, 'fn_aws_guardduty.aws_gd_severity_treshold')).toEqual({
      key: 'fn_aws_guardduty.aws_gd_severity_treshold',
      value: '7',
      expected: 'a key guardduty-soar reads; aws_gd_severity_treshold is not one, so aws_gd_severity_threshold is not set and findings of every severity would be escalated',
      hint: `did you mean aws_gd_severity_threshold? Rename the key on line ${line}.`,
    });
  });

  it('covers every key that narrows what is escalated: regions aside (required), the threshold, lookback, accounts, types, criteria', () => {
    const filters = Object.entries(FN_KEYS).filter(([, spec]) => (spec as KeySpec<unknown>).unsetEscalates !== undefined).map(([name]) => name);
    expect(filters.sort()).toEqual([
      'aws_gd_accounts_exclude', 'aws_gd_accounts_include', 'aws_gd_finding_criteria', 'aws_gd_finding_types_exclude',
      'aws_gd_finding_types_include', 'aws_gd_lookback_interval', 'aws_gd_severity_threshold',
    ]);
    for (const name of filters) {
      // One letter dropped from the last word, as a hurried hand does.
      const typo = name.slice(0, -2) + name.slice(-1);
      const problem = problemFor(sandbox(), configText({ fn: { [typo]: 'x' } }), `fn_aws_guardduty.${typo}`);
      expect(problem.hint, typo).toMatch(new RegExp(`^did you mean ${name}\\? Rename the key on line \\d+\\.$`));
      expect(problem.expected).toMatch(/ would be escalated$/);
    }
  });

  it('under another section, where nothing reads it, is a problem too', () => {
    const problems = problemsOf(sandbox(), configText({ resilient: { aws_gd_finding_types_exclude: '^Recon:' } }));
    expect(problems).toContainEqual(expect.objectContaining({
      key: 'resilient.aws_gd_finding_types_exclude',
      expected: 'aws_gd_finding_types_exclude under [fn_aws_guardduty], where it is read; here it is ignored, so the finding types it matches would be escalated',
      hint: expect.stringMatching(/^move line \d+ into the \[fn_aws_guardduty\] section\.$/),
    }));
  });

  it('stays a warning when the real key is set too (the misspelling changes nothing), and never stops status', () => {
    const box = sandbox();
    const config = load(box, configText({ fn: { aws_gd_severity_threshold: '7', aws_gd_severity_treshold: '4' } }));
    expect(config.polling.severityThreshold).toBe(7);
    expect(config.warnings).toEqual(['Unknown key [fn_aws_guardduty] aws_gd_severity_treshold: did you mean aws_gd_severity_threshold?']);
    const path = box.write('status.config', configText({ fn: { aws_gd_severity_treshold: '7', aws_gd_db_path: './state.db' } }));
    expect(loadDbPath({ path, env: {}, cwd: box.dir, secretsDir: box.secretsDir })).toBe(`${box.dir}/state.db`);
  });
});

describe('polling off and health off', () => {
  it('warns that `run` will do nothing', () => {
    const config = load(sandbox(), configText({ fn: { aws_gd_polling_interval: '0' } }));
    expect(config.warnings).toEqual([expect.stringContaining('`run` will poll nothing and serve nothing')]);
  });

  it('does not warn when either one is on', () => {
    expect(load(sandbox(), configText({ fn: { aws_gd_polling_interval: '0', aws_gd_health_port: '9090' } })).warnings).toEqual([]);
    expect(load(sandbox(), configText({ fn: { aws_gd_polling_interval: '5' } })).warnings).toEqual([]);
  });
});
