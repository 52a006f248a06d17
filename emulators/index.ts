import { startAwsEmulator, type AwsEmulator, type AwsEmulatorOptions } from './aws/index.js';
import { startSoarEmulator, type SoarEmulator, type SoarEmulatorOptions } from './soar/index.js';

/**
 * Both local emulators together: what `guardduty-soar emulate` and `demo` start, and what the
 * end-to-end tests and the benchmark start in-process.
 */
export interface Emulators {
  aws: AwsEmulator;
  soar: SoarEmulator;
  /** The one-line JSON `emulate` prints: where each listens, the org id and the detectors. */
  describe(): { aws: string; soar: string; orgId: number; detectors: Record<string, string> };
  close(): Promise<void>;
}

export interface EmulatorsOptions {
  aws?: AwsEmulatorOptions;
  soar?: SoarEmulatorOptions;
}

export const DEFAULT_EMULATOR_REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1'];

export async function startEmulators(options: EmulatorsOptions = {}): Promise<Emulators> {
  const aws = await startAwsEmulator({ regions: DEFAULT_EMULATOR_REGIONS, ...options.aws });
  let soar: SoarEmulator;
  try {
    soar = await startSoarEmulator(options.soar);
  } catch (err) {
    await aws.close();
    throw err;
  }
  return {
    aws,
    soar,
    describe: () => ({ aws: aws.url, soar: soar.url, orgId: soar.orgId, detectors: { ...aws.detectors } }),
    close: async () => {
      await Promise.all([aws.close(), soar.close()]);
    },
  };
}

export { startAwsEmulator, startSoarEmulator };
export type { AwsEmulator, SoarEmulator, AwsEmulatorOptions, SoarEmulatorOptions };
