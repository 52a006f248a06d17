import { describe, expect, it } from 'vitest';
import { environmentProxy, withEnvironmentProxies } from '../../../src/config/env-proxies.js';
import { configText, load, sandbox } from './config-fixture.js';

describe('proxies from the environment', () => {
  it('reads http_proxy / https_proxy, lower case first, and adds http:// to a bare host', () => {
    expect(environmentProxy({ HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128' }, 'https')).toBe('http://lower:3128');
    expect(environmentProxy({ HTTP_PROXY: 'proxy.corp:3128' }, 'http')).toBe('http://proxy.corp:3128');
    expect(environmentProxy({ HTTP_PROXY: ' ' }, 'http')).toBeUndefined();
  });

  it('fills in what app.config leaves empty, never overrides it, and scrubs the credentials', () => {
    const box = sandbox();
    const config = load(box, configText({ fn: { http_proxy: 'http://from-config:3128' } }));
    const merged = withEnvironmentProxies(config, { HTTP_PROXY: 'http://env:3128', HTTPS_PROXY: 'http://svc:Env-Pass@env:3129' });
    expect(merged.aws).toMatchObject({ httpProxy: 'http://from-config:3128', httpsProxy: 'http://svc:Env-Pass@env:3129' });
    // SOAR is https (the default scheme): the https proxy, since [resilient] names none.
    expect(merged.soar.proxy).toEqual({ url: 'http://svc:Env-Pass@env:3129', source: "the environment's HTTPS_PROXY" });
    expect(merged.secrets).toEqual(expect.arrayContaining(['Env-Pass', 'svc:Env-Pass']));
    expect(withEnvironmentProxies(config, {})).toBe(config);
  });
});
