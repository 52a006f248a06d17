import type { Prng } from '../../../shared/prng.js';
import { epochSeconds, type JsonObject } from '../../protocol/wire.js';

/**
 * Building blocks of generated findings: resources and actors that look like GuardDuty's, with
 * values from the documentation ranges (198.51.100.0/24, 203.0.113.0/24) so nothing is a real host.
 */

export interface SampleContext {
  prng: Prng;
  accountId: string;
  region: string;
  /** updatedAt of the finding, epoch ms. */
  updatedAtMs: number;
  /** createdAt of the finding, epoch ms (≤ updatedAtMs). */
  createdAtMs: number;
}

const CITIES: readonly [string, string, string, number, number][] = [
  ['Amsterdam', 'NL', 'Netherlands', 52.37, 4.89],
  ['Frankfurt am Main', 'DE', 'Germany', 50.11, 8.68],
  ['Singapore', 'SG', 'Singapore', 1.29, 103.85],
  ['Sao Paulo', 'BR', 'Brazil', -23.55, -46.63],
  ['Ashburn', 'US', 'United States', 39.04, -77.49],
  ['Moscow', 'RU', 'Russia', 55.75, 37.62],
];
const ORGS: readonly [string, string][] = [
  ['64496', 'EXAMPLE-TRANSIT-AS'],
  ['64500', 'DOC-HOSTING-NET'],
  ['64510', 'SAMPLE-BROADBAND'],
];

export function publicIp(ctx: SampleContext): string {
  return ctx.prng.pick(['198.51.100', '203.0.113']) + `.${ctx.prng.int(2, 254)}`;
}

export function privateIp(ctx: SampleContext): string {
  return `10.0.${ctx.prng.int(0, 15)}.${ctx.prng.int(4, 250)}`;
}

export function remoteIpDetails(ctx: SampleContext, ip = publicIp(ctx)): JsonObject {
  const [city, code, country, lat, lon] = ctx.prng.pick(CITIES);
  const [asn, asnOrg] = ctx.prng.pick(ORGS);
  return {
    ipAddressV4: ip,
    city: { cityName: city },
    country: { countryCode: code, countryName: country },
    geoLocation: { lat, lon },
    organization: { asn, asnOrg, isp: asnOrg, org: asnOrg },
  };
}

export function tags(pairs: Record<string, string>): JsonObject[] {
  return Object.entries(pairs).map(([key, value]) => ({ key, value }));
}

export function instanceDetails(ctx: SampleContext): JsonObject {
  const p = ctx.prng;
  const ip = privateIp(ctx);
  const pub = publicIp(ctx);
  const az = `${ctx.region}${p.pick(['a', 'b', 'c'])}`;
  const dns = (addr: string, kind: string): string =>
    kind === 'public' ? `ec2-${addr.replace(/\./g, '-')}.compute-1.amazonaws.com` : `ip-${addr.replace(/\./g, '-')}.ec2.internal`;
  return {
    instanceId: `i-${p.hex(17)}`,
    instanceType: p.pick(['t3.micro', 'm5.large', 'c6i.xlarge']),
    instanceState: 'running',
    availabilityZone: az,
    imageId: `ami-${p.hex(17)}`,
    imageDescription: 'Amazon Linux 2023 AMI',
    launchTime: new Date(ctx.createdAtMs - 86_400_000 * p.int(1, 60)).toISOString(),
    iamInstanceProfile: { arn: `arn:aws:iam::${ctx.accountId}:instance-profile/app-server`, id: `AIPA${p.upper(17)}` },
    productCodes: [{ productCodeId: p.alnum(25).toLowerCase(), productCodeType: 'marketplace' }],
    networkInterfaces: [{
      networkInterfaceId: `eni-${p.hex(17)}`,
      privateIpAddress: ip,
      privateDnsName: dns(ip, 'private'),
      privateIpAddresses: [{ privateIpAddress: ip, privateDnsName: dns(ip, 'private') }],
      publicIp: pub,
      publicDnsName: dns(pub, 'public'),
      ipv6Addresses: [],
      subnetId: `subnet-${p.hex(17)}`,
      vpcId: `vpc-${p.hex(17)}`,
      securityGroups: [{ groupId: `sg-${p.hex(17)}`, groupName: 'web-tier' }],
    }],
    tags: tags({ Name: `web-${p.int(1, 40)}`, Environment: p.pick(['prod', 'staging']) }),
  };
}

export function accessKeyDetails(ctx: SampleContext, userType = 'IAMUser'): JsonObject {
  return {
    accessKeyId: `ASIA${ctx.prng.upper(16)}`,
    principalId: `AIDA${ctx.prng.upper(17)}`,
    userName: ctx.prng.pick(['alice', 'deploy-bot', 'ci-runner', 'bob.admin']),
    userType,
  };
}

export function s3Bucket(ctx: SampleContext, name: string): JsonObject {
  return {
    arn: `arn:aws:s3:::${name}`,
    name,
    type: 'Destination',
    createdAt: epochSeconds(ctx.createdAtMs - 86_400_000 * 200),
    owner: { id: ctx.prng.hex(64) },
    tags: tags({ DataClassification: 'confidential' }),
    defaultServerSideEncryption: { encryptionType: 'aws:kms', kmsMasterKeyArn: `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/${ctx.prng.uuid()}` },
    publicAccess: {
      effectivePermission: 'NOT_PUBLIC',
      permissionConfiguration: {
        bucketLevelPermissions: {
          accessControlList: { allowsPublicReadAccess: false, allowsPublicWriteAccess: false },
          bucketPolicy: { allowsPublicReadAccess: false, allowsPublicWriteAccess: false },
          blockPublicAccess: { ignorePublicAcls: true, restrictPublicBuckets: true, blockPublicAcls: true, blockPublicPolicy: true },
        },
        accountLevelPermissions: {
          blockPublicAccess: { ignorePublicAcls: false, restrictPublicBuckets: false, blockPublicAcls: false, blockPublicPolicy: false },
        },
      },
    },
  };
}

export function container(ctx: SampleContext, name: string, image: string): JsonObject {
  return {
    containerRuntime: 'containerd',
    id: ctx.prng.hex(64),
    name,
    image,
    imagePrefix: image.split('/')[0] ?? image,
    volumeMounts: [{ name: 'host-root', mountPath: '/host' }],
    securityContext: { privileged: true, allowPrivilegeEscalation: true },
  };
}

/** A container as a sidecar runs: no privilege, no host mount. */
export function unprivileged(container: JsonObject): JsonObject {
  return { ...container, volumeMounts: [], securityContext: { privileged: false, allowPrivilegeEscalation: false } };
}

export function processDetails(ctx: SampleContext, name: string, path: string): JsonObject {
  const p = ctx.prng;
  const start = epochSeconds(ctx.updatedAtMs) - p.int(60, 3600);
  const parentUuid = p.uuid();
  return {
    name,
    executablePath: path,
    executableSha256: p.hex(64),
    namespacePid: p.int(2, 400),
    pwd: '/tmp',
    pid: p.int(1000, 60000),
    startTime: start,
    uuid: p.uuid(),
    parentUuid,
    user: 'root',
    userId: 0,
    euid: 0,
    lineage: [
      { name: 'sh', executablePath: '/bin/sh', pid: p.int(500, 999), namespacePid: 1, startTime: start - 5, uuid: parentUuid, parentUuid: p.uuid(), userId: 0, euid: 0 },
      { name: 'containerd-shim', executablePath: '/usr/bin/containerd-shim-runc-v2', pid: p.int(100, 499), startTime: start - 900, uuid: p.uuid(), userId: 0, euid: 0 },
    ],
  };
}
