import fs from 'node:fs';
import path from 'node:path';
import { startEmulators } from '../../emulators/index.js';
import { ConfigError } from '../core/errors.js';
import type { Io } from '../app/app.js';
import { processSignals, type ShutdownSignals } from '../app/shutdown-signals.js';
import { EXIT_OK } from '../app/exit-codes.js';

export interface EmulateOptions {
  awsPort: number;
  soarPort: number;
  /** The SOAR emulator's STOMP broker (TLS, SOAR functions); 0 = any free port. */
  stompPort: number;
  /** SOAR REST over HTTPS, with a certificate from the CA the `ca` file holds. */
  tls?: boolean;
  /**
   * Also write the CA here (the emulator's own CA file has a new temporary path at every start, so a
   * committed app.config cannot name it; this fixed path can). Removed on exit, as the CA dies with the emulator.
   */
  caFile?: string | undefined;
  regions: string[];
  sampleFindings: number;
  latencyMs: number;
  soarApiKey: string;
  soarOrg: string;
  signals?: ShutdownSignals;
}

/**
 * `guardduty-soar emulate`: starts the local AWS and SOAR emulators on 127.0.0.1, prints exactly one
 * JSON line saying where they listen, and runs until SIGTERM/SIGINT. The line's `stomp` is the SOAR
 * broker's port and `ca` the CA file its certificate (and with `--tls` the REST server's) verifies
 * against: an unmodified IBM app.config points `cafile` (or `stomp_cafile`) at it.
 */
export async function emulateCommand(io: Io, options: EmulateOptions): Promise<number> {
  const [id, ...rest] = options.soarApiKey.split(':');
  const secret = rest.join(':');
  if (!id || !secret) {
    throw new ConfigError([{ key: '--soar-api-key', value: options.soarApiKey, expected: 'ID:SECRET', hint: 'e.g. --soar-api-key demo-key:demo-secret' }]);
  }
  const emulators = await startEmulators({
    aws: { port: options.awsPort, regions: options.regions, sampleFindings: options.sampleFindings, latencyMs: options.latencyMs },
    soar: { port: options.soarPort, stompPort: options.stompPort, apiKeys: [{ id, secret }], orgName: options.soarOrg, latencyMs: options.latencyMs },
    tls: options.tls ?? false,
  });
  const where = emulators.describe();
  const caFile = options.caFile === undefined ? undefined : path.resolve(io.cwd, options.caFile);
  if (caFile) {
    fs.mkdirSync(path.dirname(caFile), { recursive: true });
    fs.copyFileSync(where.ca, caFile);
  }
  io.stdout.write(`${JSON.stringify(caFile ? { ...where, ca: caFile } : where)}\n`);
  await new Promise<string>((resolve) => (options.signals ?? processSignals()).onStop(resolve));
  await emulators.close();
  if (caFile) fs.rmSync(caFile, { force: true });
  return EXIT_OK;
}
