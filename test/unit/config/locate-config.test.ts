import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, locateConfigFile } from '../../../src/config/load-config.js';
import { ConfigError } from '../../../src/core/errors.js';
import { sandbox } from './config-fixture.js';

describe('locateConfigFile', () => {
  it('prefers --config, then $APP_CONFIG_FILE, then ./app.config', () => {
    const box = sandbox();
    const cli = box.write('cli.config', '');
    const fromEnv = box.write('env.config', '');
    const local = box.write('app.config', '');
    const env = { APP_CONFIG_FILE: fromEnv };
    expect(locateConfigFile({ cliPath: 'cli.config', env, cwd: box.dir })).toBe(cli);
    expect(locateConfigFile({ env, cwd: box.dir })).toBe(fromEnv);
    expect(locateConfigFile({ env: { APP_CONFIG_FILE: '' }, cwd: box.dir })).toBe(local);
  });

  it('names the path it looked at and how it chose it when the file is missing', () => {
    const box = sandbox();
    const attempt = () => locateConfigFile({ env: { APP_CONFIG_FILE: '/etc/rescircuits/app.config' }, cwd: box.dir });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/\$APP_CONFIG_FILE: found "\/etc\/rescircuits\/app.config"; expected an existing app.config file/);
    expect(() => locateConfigFile({ env: {}, cwd: box.dir })).toThrow(join(box.dir, 'app.config'));
  });

  it('refuses a folder', () => {
    const box = sandbox();
    expect(() => locateConfigFile({ cliPath: box.dir, env: {}, cwd: box.dir })).toThrow(ConfigError);
  });
});

describe('loadConfig on an unreadable path', () => {
  it('throws a ConfigError naming the path', () => {
    const box = sandbox();
    expect(() => loadConfig({ path: join(box.dir, 'gone.config'), env: {}, cwd: box.dir, templatesDir: box.templatesDir })).toThrow(/gone\.config.*ENOENT/s);
  });
});
