import { describe, expect, it } from 'vitest';
import { configText, load, problemFor, sandbox } from './config-fixture.js';

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
    const config = load(sandbox(), configText({ fn: { aws_gd_lookback_intervl: '60' } }));
    expect(config.polling.lookbackMinutes).toBeUndefined();
    expect(config.warnings).toEqual(['Unknown key [fn_aws_guardduty] aws_gd_lookback_intervl: did you mean aws_gd_lookback_interval?']);
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
