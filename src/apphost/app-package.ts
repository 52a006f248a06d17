import { ConfigError } from '../core/errors.js';
import { packageMeta } from '../core/package-meta.js';
import { APP_NAME, buildAppJson, sortedJson } from './app-json.js';
import type { PackageMeta } from '../core/package-meta.js';
import { buildExportRes } from './export-res.js';
import { writeTarGz } from './tar.js';
import { writeZip } from './zip.js';

/**
 * The App Host app package, `app-<name>-<version>.zip` with `app.json`, `export.res` and
 * `<name>-<version>.tar.gz`, as `resilient-sdk package` lays it out (reference §6.1). There is no
 * image in it: App Host pulls the image `app.json` names from a registry, so that reference must be
 * one App Host can reach.
 */

export interface AppPackage {
  fileName: string;
  image: string;
  zip: Buffer;
  appJson: Record<string, unknown>;
  exportRes: Record<string, unknown>;
}

// A Docker reference with a tag or a digest: [registry[:port]/]path[:tag|@sha256:hex], path lower-case.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE = new RegExp(`^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127}|@sha256:[a-f0-9]{64})$`);

const IMAGE_EXPECTED = 'an image reference with a tag or digest, e.g. registry.example.com/secops/guardduty-soar:0.1.0';
const IMAGE_HINT = 'write the repository in lower case and end it with :TAG or @sha256:DIGEST (App Host pulls exactly that image)';

/** What is wrong with an `--image` reference, as one sentence with the fix; undefined when App Host can pull it. */
export function imageProblem(image: string): string | undefined {
  return IMAGE.test(image) ? undefined : `Expected ${IMAGE_EXPECTED}: ${IMAGE_HINT}.`;
}

/** The image reference, checked; a ConfigError saying what is wrong and how to write it otherwise. */
export function checkImage(image: string): string {
  if (IMAGE.test(image)) return image;
  throw new ConfigError([{ key: '--image', value: image, expected: IMAGE_EXPECTED, hint: IMAGE_HINT }]);
}

export function buildAppPackage(options: { image?: string | undefined; now: Date }): AppPackage {
  const meta = packageMeta();
  const image = checkImage(options.image ?? `guardduty-soar:${meta.version}`);
  const appJson = buildAppJson({ version: meta.version, description: meta.description, image });
  const exportRes = buildExportRes(options.now);
  const zip = writeZip([
    { name: 'app.json', data: Buffer.from(`${sortedJson(appJson)}\n`) },
    { name: 'export.res', data: Buffer.from(`${JSON.stringify(exportRes, null, 2)}\n`) },
    { name: `${APP_NAME}-${meta.version}.tar.gz`, data: sourceDistribution(meta, image, options.now) },
  ], options.now);
  return { fileName: `app-${APP_NAME}-${meta.version}.zip`, image, zip, appJson, exportRes };
}


/**
 * The `<name>-<version>.tar.gz` resilient-sdk puts next to app.json (for IBM's apps, the Python
 * sdist). App Host runs the image, not this archive; [I] ours holds what identifies the
 * distribution as an sdist does (`<name>-<version>/PKG-INFO`, core metadata 2.1) and a README
 * naming the image, so a tool that lists or unpacks it finds the same name and version as app.json.
 */
function sourceDistribution(meta: PackageMeta, image: string, now: Date): Buffer {
  const root = `${APP_NAME}-${meta.version}/`;
  const pkgInfo = [
    'Metadata-Version: 2.1', `Name: ${APP_NAME}`, `Version: ${meta.version}`, `Summary: ${meta.description}`,
    'License: Apache-2.0', '',
  ].join('\n');
  const readme = `${APP_NAME} ${meta.version}: ${meta.description}\nApp Host runs it from the container image ${image}; this archive carries no code.\n`;
  return writeTarGz([
    { name: root },
    { name: `${root}PKG-INFO`, data: Buffer.from(pkgInfo) },
    { name: `${root}README.txt`, data: Buffer.from(readme) },
  ], now);
}
