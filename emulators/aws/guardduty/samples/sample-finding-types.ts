import { container, publicIp, remoteIpDetails, s3Bucket, tags, accessKeyDetails } from './sample-finding-parts.js';
import { accessKey, awsApiCall, dns, instance, network, type SampleTemplate } from './sample-actions.js';
import { anomalyTemplates } from './sample-anomalies.js';
import { sequenceTemplates } from './sample-sequences.js';
import { familyTemplates } from './sample-templates-families.js';
import { workloadTemplates } from './sample-templates-workloads.js';
import { epochSeconds, type JsonObject } from '../../protocol/wire.js';

/**
 * The finding types the generator knows, one template each: GuardDuty's severity for the type and a
 * builder for the resource, the action and any extra `service` members (malware scans, runtime).
 */

export const SAMPLE_TEMPLATES: readonly SampleTemplate[] = [
  {
    type: 'Recon:EC2/PortProbeUnprotectedPort', severity: 2,
    build: (ctx) => {
      const resource = instance(ctx);
      const probe = (port: number, name: string): JsonObject => ({
        localPortDetails: { port, portName: name },
        localIpDetails: { ipAddressV4: '10.0.0.23' },
        remoteIpDetails: remoteIpDetails(ctx),
      });
      return {
        title: 'Unprotected port on EC2 instance is being probed.',
        description: 'EC2 instance has an unprotected port which is being probed by a known malicious host.',
        resource,
        action: { actionType: 'PORT_PROBE', portProbeAction: { blocked: false, portProbeDetails: [probe(22, 'SSH'), probe(3389, 'RDP')] } },
      };
    },
  },
  {
    type: 'UnauthorizedAccess:EC2/SSHBruteForce', severity: 2,
    build: (ctx) => ({
      title: 'SSH brute force attacks against an EC2 instance.',
      description: 'EC2 instance is being targeted by SSH brute force attacks from a remote host.',
      resource: instance(ctx),
      action: network(ctx, 'INBOUND', 22, ctx.prng.int(32768, 60999)),
    }),
  },
  {
    type: 'Backdoor:EC2/C&CActivity.B!DNS', severity: 8,
    build: (ctx) => ({
      title: 'Command and Control server domain name queried by EC2 instance.',
      description: 'EC2 instance is querying a domain name associated with a known Command & Control server.',
      resource: instance(ctx),
      action: dns(`c2.${ctx.prng.hex(8)}.example.net`),
      service: { evidence: { threatIntelligenceDetails: [{ threatListName: 'ProofPoint', threatNames: ['Backdoor'] }] } },
    }),
  },
  {
    type: 'CryptoCurrency:EC2/BitcoinTool.B', severity: 8,
    build: (ctx) => ({
      title: 'EC2 instance is communicating with Bitcoin mining pools.',
      description: 'EC2 instance is communicating with an IP address associated with cryptocurrency-related activity.',
      resource: instance(ctx),
      action: network(ctx, 'OUTBOUND', ctx.prng.int(32768, 60999), 3333),
    }),
  },
  {
    type: 'Trojan:EC2/DNSDataExfiltration', severity: 8,
    build: (ctx) => ({
      title: 'Data exfiltration through DNS queries from EC2 instance.',
      description: 'EC2 instance is exfiltrating data through DNS queries.',
      resource: instance(ctx),
      action: dns(`${ctx.prng.hex(40)}.exfil.example.org`),
    }),
  },
  {
    type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS', severity: 8,
    build: (ctx) => ({
      title: 'Credentials for an EC2 instance role were used from an external IP address.',
      description: 'Credentials created exclusively for an EC2 instance through an instance launch role are being used from an external IP address.',
      resource: accessKey(ctx, 'AssumedRole'),
      action: awsApiCall(ctx, 'ListBuckets', 's3.amazonaws.com'),
    }),
  },
  {
    type: 'Recon:IAMUser/MaliciousIPCaller', severity: 5,
    build: (ctx) => ({
      title: 'Reconnaissance API invoked from a known malicious IP address.',
      description: 'An API commonly used to discover resources was invoked from an IP address on a threat list.',
      resource: accessKey(ctx),
      action: awsApiCall(ctx, 'DescribeInstances', 'ec2.amazonaws.com'),
      service: { additionalInfo: { value: JSON.stringify({ threatListName: 'CrowdStrike', sample: true }), type: 'default' } },
    }),
  },
  {
    type: 'Policy:IAMUser/RootCredentialUsage', severity: 2,
    build: (ctx) => ({
      title: 'API invoked using root credentials.',
      description: 'An API was invoked using the root credentials of the account.',
      resource: accessKey(ctx, 'Root'),
      action: awsApiCall(ctx, 'GetAccountSummary', 'iam.amazonaws.com'),
    }),
  },
  {
    type: 'Policy:S3/BucketBlockPublicAccessDisabled', severity: 2,
    build: (ctx) => {
      const name = `finance-reports-${ctx.prng.hex(6)}`;
      return {
        title: `Amazon S3 Block Public Access was disabled for S3 bucket ${name}.`,
        description: 'An IAM entity disabled S3 Block Public Access on a bucket.',
        resource: { resourceType: 'S3Bucket', accessKeyDetails: accessKeyDetails(ctx), s3BucketDetails: [s3Bucket(ctx, name)] },
        action: awsApiCall(ctx, 'PutBucketPublicAccessBlock', 's3.amazonaws.com'),
      };
    },
  },
  {
    type: 'Exfiltration:S3/MaliciousIPCaller', severity: 8,
    build: (ctx) => {
      const names = [`customer-data-${ctx.prng.hex(6)}`, `backups-${ctx.prng.hex(6)}`];
      return {
        title: 'S3 objects read from a known malicious IP address.',
        description: 'An IAM entity invoked an S3 API used to read objects from a remote host on a threat list.',
        resource: { resourceType: 'S3Bucket', accessKeyDetails: accessKeyDetails(ctx), s3BucketDetails: names.map((n) => s3Bucket(ctx, n)) },
        action: awsApiCall(ctx, 'GetObject', 's3.amazonaws.com'),
      };
    },
  },
  {
    type: 'Execution:Kubernetes/ExecInKubeSystemPod', severity: 5,
    build: (ctx) => {
      const cluster = `prod-eks-${ctx.prng.int(1, 9)}`;
      return {
        title: 'Command executed inside a pod in the kube-system namespace.',
        description: 'A command was executed inside a pod in the kube-system namespace of the EKS cluster.',
        resource: {
          resourceType: 'EKSCluster',
          eksClusterDetails: {
            name: cluster, arn: `arn:aws:eks:${ctx.region}:${ctx.accountId}:cluster/${cluster}`, vpcId: `vpc-${ctx.prng.hex(17)}`,
            status: 'ACTIVE', tags: tags({ team: 'platform' }), createdAt: epochSeconds(ctx.createdAtMs - 86_400_000 * 90),
          },
          kubernetesDetails: {
            kubernetesUserDetails: { username: 'kubernetes-admin', uid: ctx.prng.uuid(), groups: ['system:masters', 'system:authenticated'], sessionName: ['admin-session'] },
            kubernetesWorkloadDetails: {
              name: 'aws-node-x7k2p', type: 'pods', uid: ctx.prng.uuid(), namespace: 'kube-system', hostNetwork: true,
              serviceAccountName: 'aws-node', containers: [container(ctx, 'aws-node', '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.18.0')],
            },
          },
        },
        action: {
          actionType: 'KUBERNETES_API_CALL',
          kubernetesApiCallAction: {
            requestUri: '/api/v1/namespaces/kube-system/pods/aws-node-x7k2p/exec', verb: 'create', resource: 'pods', subresource: 'exec',
            namespace: 'kube-system', resourceName: 'aws-node-x7k2p', sourceIPs: [publicIp(ctx)], userAgent: 'kubectl/v1.29.0',
            remoteIpDetails: remoteIpDetails(ctx), statusCode: 101, parameters: '{"command":["sh"]}',
          },
        },
      };
    },
  },
  ...workloadTemplates(),
  // Appended, so that generating N findings cycles through the older types in the same order.
  ...familyTemplates(),
  // Issue 20: the IAM anomaly findings, then the attack-sequence types not among the workloads'.
  ...anomalyTemplates(),
  ...sequenceTemplates(['AttackSequence:IAM/CompromisedCredentials']),
];

export const SAMPLE_FINDING_TYPES: readonly string[] = SAMPLE_TEMPLATES.map((t) => t.type);

export function sampleTemplate(type: string): SampleTemplate | undefined {
  return SAMPLE_TEMPLATES.find((t) => t.type === type);
}
