import { startAwsEmulator, type AwsEmulator, type AwsEmulatorOptions } from './aws/index.js';
import { createEmulatorCa, type EmulatorCa } from './shared/ca.js';
import { startSoarEmulator, type SoarEmulator, type SoarEmulatorOptions } from './soar/index.js';

/**
 * Both local emulators together: what `guardduty-soar emulate` and `demo` start, and what the
 * end-to-end tests and the benchmark start in-process.
 */
export interface Emulators {
  aws: AwsEmulator;
  soar: SoarEmulator;
  /** The CA that signed the STOMP broker's (and, with `tls`, the SOAR REST server's) certificate. */
  ca: EmulatorCa;
  /**
   * The one-line JSON `emulate` prints: where each listens, the org id, the detectors, the STOMP
   * port (absent when STOMP is off) and the CA file to configure as `cafile` / `stomp_cafile`.
   */
  describe(): { aws: string; soar: string; orgId: number; detectors: Record<string, string>; stomp?: number; ca: string };
  close(): Promise<void>;
}

export interface EmulatorsOptions {
  aws?: AwsEmulatorOptions;
  /** `stomp` defaults to true here (SOAR functions); `stompPort` 0 picks a free port. */
  soar?: SoarEmulatorOptions;
  /** Serve SOAR REST over HTTPS with a certificate from the same CA as the STOMP broker. */
  tls?: boolean;
}

export const DEFAULT_EMULATOR_REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1'];

export async function startEmulators(options: EmulatorsOptions = {}): Promise<Emulators> {
  const ca = await createEmulatorCa();
  let aws: AwsEmulator;
  try {
    aws = await startAwsEmulator({ regions: DEFAULT_EMULATOR_REGIONS, ...options.aws });
  } catch (err) {
    ca.close();
    throw err;
  }
  let soar: SoarEmulator;
  try {
    soar = await startSoarEmulator({
      stomp: true,
      ...(options.tls ? { tls: { key: ca.key, cert: ca.cert } } : {}),
      ...options.soar,
      ca,
    });
  } catch (err) {
    await aws.close();
    ca.close();
    throw err;
  }
  return {
    aws,
    soar,
    ca,
    describe: () => ({
      aws: aws.url,
      soar: soar.url,
      orgId: soar.orgId,
      detectors: { ...aws.detectors },
      ...(soar.stompPort !== undefined ? { stomp: soar.stompPort } : {}),
      ca: ca.caPath,
    }),
    close: async () => {
      await Promise.all([aws.close(), soar.close()]);
      ca.close();
    },
  };
}

export { startAwsEmulator, startSoarEmulator };
export type { AwsEmulator, SoarEmulator, AwsEmulatorOptions, SoarEmulatorOptions, EmulatorCa };
