import { container, processDetails, unprivileged, remoteIpDetails, tags, type SampleContext } from './sample-finding-parts.js';
import { instance, network, type SampleParts, type SampleTemplate } from './sample-actions.js';
import { buildSequence } from './sample-sequences.js';
import { SEQUENCE_RECIPES, type SequenceRecipe } from './sample-sequence-recipes.js';
import { epochSeconds, type JsonObject } from '../../protocol/wire.js';

/** The one sequence type among the older templates (its place in the cycle of types is kept). */
const IAM_SEQUENCE: SequenceRecipe = SEQUENCE_RECIPES[0];

/** Templates for workloads beyond EC2/IAM/S3/EKS: ECS and container runtime, RDS, Lambda, EBS malware, attack sequences. */

export function workloadTemplates(): SampleTemplate[] {
  return [
    {
      type: 'CryptoCurrency:Runtime/BitcoinTool.B', severity: 8,
      build: (ctx) => {
        const cluster = `payments-${ctx.prng.int(1, 9)}`;
        const base = `arn:aws:ecs:${ctx.region}:${ctx.accountId}`;
        return {
          title: 'An ECS task is communicating with Bitcoin-related IP addresses.',
          description: 'A process in an ECS container is querying or communicating with cryptocurrency-related infrastructure.',
          resource: {
            resourceType: 'ECSCluster',
            ecsClusterDetails: {
              name: cluster, arn: `${base}:cluster/${cluster}`, status: 'ACTIVE', activeServicesCount: 3, registeredContainerInstancesCount: 2, runningTasksCount: 7,
              tags: tags({ app: 'payments' }),
              taskDetails: {
                arn: `${base}:task/${cluster}/${ctx.prng.hex(32)}`, definitionArn: `${base}:task-definition/payments-api:42`, version: '42',
                createdAt: epochSeconds(ctx.createdAtMs - 7_200_000), startedAt: epochSeconds(ctx.createdAtMs - 7_100_000),
                startedBy: 'ecs-svc/1234567890', group: 'service:payments-api', launchType: 'FARGATE',
                // A task usually runs a sidecar next to the app; only the app is privileged.
                containers: [
                  container(ctx, 'api', 'public.ecr.aws/example/payments-api:1.4.2'),
                  unprivileged(container(ctx, 'log-router', 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0')),
                ],
              },
            },
          },
          action: network(ctx, 'OUTBOUND', ctx.prng.int(32768, 60999), 3333),
          service: { runtimeDetails: { process: processDetails(ctx, 'xmrig', '/tmp/.x/xmrig') } },
        };
      },
    },
    {
      type: 'UnauthorizedAccess:Runtime/TorClient', severity: 8,
      build: (ctx) => ({
        title: 'A container is connecting to the Tor network.',
        description: 'A container is making connections to a Tor Guard or Authority node.',
        resource: { resourceType: 'Container', containerDetails: container(ctx, 'worker', 'docker.io/library/alpine:3.19') },
        action: network(ctx, 'OUTBOUND', ctx.prng.int(32768, 60999), 9001),
        service: { runtimeDetails: { process: processDetails(ctx, 'tor', '/usr/bin/tor') } },
      }),
    },
    {
      type: 'CredentialAccess:RDS/AnomalousBehavior.SuccessfulLogin', severity: 8,
      build: (ctx) => {
        const db = `orders-db-${ctx.prng.int(1, 9)}`;
        return {
          title: `A user successfully logged in to database ${db} in an anomalous way.`,
          description: 'A successful login attempt was observed that is considered anomalous for the database.',
          resource: {
            resourceType: 'RDSDBInstance',
            rdsDbInstanceDetails: {
              dbInstanceIdentifier: db, engine: 'aurora-postgresql', engineVersion: '15.4', dbClusterIdentifier: 'orders-cluster',
              dbInstanceArn: `arn:aws:rds:${ctx.region}:${ctx.accountId}:db:${db}`, dbiResourceId: `db-${ctx.prng.upper(26)}`, tags: tags({ tier: 'data' }),
            },
            rdsDbUserDetails: { user: 'app_admin', application: 'psql', database: 'orders', ssl: 'true', authMethod: 'PASSWORD' },
          },
          action: {
            actionType: 'RDS_LOGIN_ATTEMPT',
            // The model gives LoginAttributes no jsonName, so it is PascalCase on the wire.
            rdsLoginAttemptAction: { remoteIpDetails: remoteIpDetails(ctx), LoginAttributes: [{ user: 'app_admin', application: 'psql', failedLoginAttempts: 11, successfulLoginAttempts: 1 }] },
          },
        };
      },
    },
    {
      type: 'Backdoor:Lambda/C&CActivity.B', severity: 8,
      build: (ctx) => {
        const fn = `image-resizer-${ctx.prng.hex(4)}`;
        return {
          title: `Lambda function ${fn} is querying an IP address associated with a Command and Control server.`,
          description: 'A Lambda function is communicating with an IP address associated with a known Command & Control server.',
          resource: {
            resourceType: 'Lambda',
            lambdaDetails: {
              functionArn: `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${fn}`, functionName: fn, description: 'Resizes uploaded images',
              lastModifiedAt: epochSeconds(ctx.createdAtMs - 86_400_000 * 3), revisionId: ctx.prng.uuid(), functionVersion: '$LATEST',
              role: `arn:aws:iam::${ctx.accountId}:role/${fn}-role`,
              vpcConfig: { subnetIds: [`subnet-${ctx.prng.hex(17)}`], vpcId: `vpc-${ctx.prng.hex(17)}`, securityGroups: [{ groupId: `sg-${ctx.prng.hex(17)}`, groupName: 'lambda' }] },
              tags: tags({ owner: 'media' }),
            },
          },
          action: network(ctx, 'OUTBOUND', ctx.prng.int(32768, 60999), 443),
        };
      },
    },
    { type: 'Execution:EC2/MaliciousFile', severity: 8, build: maliciousFile },
    { type: IAM_SEQUENCE.type, severity: IAM_SEQUENCE.severity, build: (ctx) => buildSequence(IAM_SEQUENCE, ctx) },
  ];
}

function maliciousFile(ctx: SampleContext): SampleParts {
  const resource = instance(ctx);
  const volumeArn = `arn:aws:ec2:${ctx.region}:${ctx.accountId}:volume/vol-${ctx.prng.hex(17)}`;
  const started = epochSeconds(ctx.createdAtMs) - 600;
  const threat = (name: string, path: string): JsonObject => ({
    name, severity: 'HIGH', itemCount: 1,
    filePaths: [{ filePath: path, volumeArn, hash: ctx.prng.hex(64), fileName: path.split('/').pop() ?? path }],
  });
  resource.ebsVolumeDetails = {
    scannedVolumeDetails: [{ volumeArn, volumeType: 'gp3', deviceName: '/dev/xvda', volumeSizeInGB: 30, encryptionType: 'CMK', snapshotArn: `arn:aws:ec2:${ctx.region}::snapshot/snap-${ctx.prng.hex(17)}` }],
    skippedVolumeDetails: [],
  };
  return {
    title: 'Malicious files found on the EBS volumes of an EC2 instance.',
    description: 'GuardDuty Malware Protection found malicious files on an EBS volume attached to the instance.',
    resource,
    service: {
      featureName: 'EbsMalwareProtection',
      ebsVolumeScanDetails: {
        scanId: ctx.prng.hex(32), scanStartedAt: started, scanCompletedAt: started + 420, triggerFindingId: ctx.prng.hex(32),
        sources: ['Bitdefender', 'Amazon'], scanType: 'GUARDDUTY_INITIATED',
        scanDetections: {
          scannedItemCount: { totalGb: 30, files: 98231, volumes: 1 },
          threatsDetectedItemCount: { files: 2 },
          highestSeverityThreatDetails: { severity: 'HIGH', threatName: 'EICAR-Test-File (not a virus)', count: 2 },
          threatDetectedByName: {
            itemCount: 2, uniqueThreatNameCount: 2, shortened: false,
            threatNames: [threat('EICAR-Test-File (not a virus)', '/tmp/eicar.com'), threat('Trojan.Linux.Miner', '/var/tmp/.cache/kworkerd')],
          },
        },
      },
    },
  };
}
