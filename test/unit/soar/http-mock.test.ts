import http from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpMock, networkError } from '../../helpers/http-mock.js';

/** The shared helper's own guarantees (it lives with the SOAR tests, its first user). */
const mock = createHttpMock();
afterEach(() => mock.reset());

async function errorOf(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  return promise.then(() => ({ message: 'no error' }), (e: unknown) => e as { code?: string; message: string });
}

describe('http-mock', () => {
  it('blocks real network, loopback included, and records the request', async () => {
    mock.start();
    const server = http.createServer((_req, res) => res.end('real'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;

    const err = await errorOf(axios.get(url));
    server.close();

    expect(err.code).toBe('ENETUNREACH');
    expect(() => mock.assertAllUsed()).toThrow(`request matched no mock: GET ${url}`);
  });

  it('fails on a request no mock matches, even when the code swallowed the error', async () => {
    mock.start();
    mock.origin('https://api.test').get('/a').reply(200, {});
    await axios.get('https://api.test/a');
    await errorOf(axios.post('https://api.test/b', { x: 1 }));

    expect(() => mock.assertAllUsed()).toThrow('request matched no mock: POST https://api.test/b');
  });

  it('fails on a mock that was never used', () => {
    mock.start();
    mock.origin('https://api.test').get('/never').reply(200, {});

    expect(() => mock.assertAllUsed()).toThrow('mock never called: GET https://api.test:443/never');
  });

  it('passes when every mock was used and nothing else was asked', async () => {
    mock.start();
    mock.origin('https://api.test').get('/a').replyWithError(networkError('ECONNRESET', 'socket hang up'));

    expect((await errorOf(axios.get('https://api.test/a'))).code).toBe('ECONNRESET');
    expect(() => mock.assertAllUsed()).not.toThrow();
  });

  it('in loopback mode reaches 127.0.0.1 for real and still refuses any other host', async () => {
    mock.start();
    mock.allowLoopback();
    const server = http.createServer((_req, res) => res.end('real'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

    const real = await axios.get<string>(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { proxy: false });
    const err = await errorOf(axios.get('http://192.0.2.1:81/', { proxy: false, timeout: 2_000 }));
    server.close();

    expect(real.data).toBe('real');
    expect(err.code).toBe('ENETUNREACH');
    expect(err.message).toContain('only loopback');
    mock.assertAllUsed();
  });
});
