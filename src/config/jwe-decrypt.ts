import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';

/**
 * Decrypts an App Host secret: a compact JWE token and the JWK App Host keeps beside it
 * (`/etc/secrets/.jwk/key.jwk`), with `jose`. jose is asynchronous (WebCrypto) while app.config is
 * read synchronously everywhere, so the decryption runs in a short-lived worker thread that the
 * caller waits for. The token and key go to the worker by message, never on a command line; the
 * error names the step that failed and never the plaintext.
 */

const WORKER = `
const { workerData } = require('node:worker_threads');
const { signal, port, token, jwk, joseUrl } = workerData;
(async () => {
  let reply;
  try {
    const jose = await import(joseUrl);
    const { plaintext } = await jose.compactDecrypt(token, (header) => jose.importJWK(jwk, header.alg));
    reply = { ok: true, value: new TextDecoder().decode(plaintext) };
  } catch (err) {
    reply = { ok: false, error: err && err.code ? err.code + ': ' + err.message : String(err && err.message || err) };
  }
  port.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
})();
`;

const JOSE_URL = pathToFileURL(createRequire(import.meta.url).resolve('jose')).href;
const TIMEOUT_MS = 30_000;

export type DecryptResult = { ok: true; value: string } | { ok: false; error: string };

/** The plaintext of `token` under the key `jwk` (a parsed JWK), or why it could not be had. */
export function decryptJweSync(token: string, jwk: Record<string, unknown>): DecryptResult {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER, { eval: true, workerData: { signal, port: port2, token, jwk, joseUrl: JOSE_URL }, transferList: [port2] });
  try {
    const waited = Atomics.wait(signal, 0, 0, TIMEOUT_MS);
    const reply = receiveMessageOnPort(port1)?.message as DecryptResult | undefined;
    if (reply) return reply;
    return { ok: false, error: waited === 'timed-out' ? `decryption did not finish within ${TIMEOUT_MS / 1000} s` : 'the decryption worker gave no answer' };
  } finally {
    port1.close();
    void worker.terminate();
  }
}
