/**
 * What each attack-sequence type correlates, as GuardDuty's Extended Threat Detection documents it:
 * the member finding types (FINDING signals) and the raw activity between them, in the order an
 * attack unfolds, each with its MITRE ATT&CK tactic and technique. The values are ours; the shape
 * is the model's (`Sequence`, `Signal`, `Indicator`).
 */

export type ActivitySource = 'CLOUD_TRAIL' | 'S3_DATA_EVENTS' | 'EKS_AUDIT_LOGS' | 'FLOW_LOGS' | 'DNS_LOGS' | 'RUNTIME_MONITORING';

export interface SequenceStep {
  /** A member finding of this type, or raw activity from a log source. */
  finding?: string;
  activity?: { source: ActivitySource; name: string; description: string };
  tactic: string;
  technique: string;
}

export interface SequenceRecipe {
  type: string;
  severity: number;
  title: string;
  description: string;
  /** Types of held findings a FINDING signal may be bound to when no finding of its own type is held. */
  accepts: RegExp;
  /** The member type a grown sequence adds. */
  grows: string;
  /** The kind of resource the sequence is about. */
  resource: 'access-key' | 's3' | 'eks' | 'ecs' | 'ec2';
  /** An actor that is a process (runtime sequences). */
  process?: { name: string; path: string };
  /** A domain the attack talks to (C2, mining pool), as an outbound endpoint and an indicator. */
  domain?: { name: string; indicator: 'MALICIOUS_DOMAIN' | 'CRYPTOMINING_DOMAIN' };
  steps: SequenceStep[];
}

const api = (name: string, description: string): SequenceStep['activity'] => ({ source: 'CLOUD_TRAIL', name, description });

export const SEQUENCE_RECIPES: readonly SequenceRecipe[] = [
  {
    type: 'AttackSequence:IAM/CompromisedCredentials', severity: 9.3, resource: 'access-key', accepts: /IAMUser/,
    title: 'Potential credential compromise indicated by a sequence of actions.',
    description: 'Credentials were used from a malicious IP address to discover the account, create a new access key and read data.',
    grows: 'Persistence:IAMUser/AnomalousBehavior',
    steps: [
      { finding: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS', tactic: 'Initial Access', technique: 'T1078.004' },
      { activity: api('GetCallerIdentity', 'The caller checked whose credentials it holds.'), tactic: 'Discovery', technique: 'T1087.004' },
      { finding: 'Recon:IAMUser/MaliciousIPCaller', tactic: 'Discovery', technique: 'T1580' },
      { activity: api('CreateAccessKey', 'A new long-term access key was created for the user.'), tactic: 'Persistence', technique: 'T1098.001' },
      { finding: 'Discovery:IAMUser/AnomalousBehavior', tactic: 'Discovery', technique: 'T1619' },
    ],
  },
  {
    type: 'AttackSequence:S3/CompromisedData', severity: 9.2, resource: 's3', accepts: /S3|IAMUser/,
    title: 'Potential data compromise of an S3 bucket indicated by a sequence of actions.',
    description: 'Compromised credentials were used to find buckets, open one to the public and copy its objects out.',
    grows: 'Exfiltration:IAMUser/AnomalousBehavior',
    steps: [
      { finding: 'Recon:IAMUser/MaliciousIPCaller', tactic: 'Discovery', technique: 'T1580' },
      { activity: api('ListBuckets', 'Bucket discovery with the compromised key.'), tactic: 'Discovery', technique: 'T1619' },
      { finding: 'Policy:S3/BucketBlockPublicAccessDisabled', tactic: 'Defense Evasion', technique: 'T1562.008' },
      { activity: { source: 'S3_DATA_EVENTS', name: 'GetObject', description: 'Objects were read in bulk.' }, tactic: 'Collection', technique: 'T1530' },
      { finding: 'Exfiltration:S3/MaliciousIPCaller', tactic: 'Exfiltration', technique: 'T1537' },
    ],
  },
  {
    type: 'AttackSequence:EKS/CompromisedCluster', severity: 9.5, resource: 'eks', accepts: /Kubernetes|Runtime/,
    title: 'Potential compromise of an EKS cluster indicated by a sequence of actions.',
    description: 'A command was run in a kube-system pod, which then downloaded and started a cryptominer talking to a mining pool.',
    grows: 'UnauthorizedAccess:Runtime/TorClient', process: { name: 'xmrig', path: '/tmp/.x/xmrig' },
    domain: { name: 'pool.minexmr.example.net', indicator: 'CRYPTOMINING_DOMAIN' },
    steps: [
      { activity: { source: 'EKS_AUDIT_LOGS', name: 'create pods/exec', description: 'An interactive shell was opened in a kube-system pod.' }, tactic: 'Execution', technique: 'T1609' },
      { finding: 'Execution:Kubernetes/ExecInKubeSystemPod', tactic: 'Execution', technique: 'T1609' },
      { activity: { source: 'RUNTIME_MONITORING', name: 'curl | sh', description: 'A script was downloaded and run in the container.' }, tactic: 'Execution', technique: 'T1059.004' },
      { finding: 'CryptoCurrency:Runtime/BitcoinTool.B', tactic: 'Impact', technique: 'T1496' },
    ],
  },
  {
    type: 'AttackSequence:ECS/CompromisedCluster', severity: 9.1, resource: 'ecs', accepts: /Runtime/,
    title: 'Potential compromise of an ECS cluster indicated by a sequence of actions.',
    description: 'A task started a cryptominer and reached out through Tor.',
    grows: 'UnauthorizedAccess:Runtime/TorClient', process: { name: 'xmrig', path: '/tmp/.x/xmrig' },
    domain: { name: 'pool.minexmr.example.net', indicator: 'CRYPTOMINING_DOMAIN' },
    steps: [
      { activity: { source: 'RUNTIME_MONITORING', name: 'chmod +x /tmp/.x/xmrig', description: 'A downloaded binary was made executable.' }, tactic: 'Defense Evasion', technique: 'T1222.002' },
      { finding: 'CryptoCurrency:Runtime/BitcoinTool.B', tactic: 'Impact', technique: 'T1496' },
      { activity: { source: 'DNS_LOGS', name: 'pool.minexmr.example.net', description: 'The task resolved a mining pool.' }, tactic: 'Command and Control', technique: 'T1071.004' },
      { finding: 'UnauthorizedAccess:Runtime/TorClient', tactic: 'Command and Control', technique: 'T1090.003' },
    ],
  },
  {
    type: 'AttackSequence:EC2/CompromisedInstanceGroup', severity: 9.4, resource: 'ec2', accepts: /EC2/,
    title: 'Potential compromise of a group of EC2 instances indicated by a sequence of actions.',
    description: 'Instances of one Auto Scaling group were brute-forced over SSH, then queried a C&C domain and joined a mining pool.',
    grows: 'Trojan:EC2/DNSDataExfiltration', domain: { name: 'c2.badactor.example.org', indicator: 'MALICIOUS_DOMAIN' },
    steps: [
      { finding: 'UnauthorizedAccess:EC2/SSHBruteForce', tactic: 'Credential Access', technique: 'T1110.001' },
      { activity: { source: 'FLOW_LOGS', name: 'SSH from 198.51.100.0/24', description: 'Successful SSH sessions from the brute-forcing hosts.' }, tactic: 'Initial Access', technique: 'T1078' },
      { finding: 'Backdoor:EC2/C&CActivity.B!DNS', tactic: 'Command and Control', technique: 'T1071.004' },
      { finding: 'CryptoCurrency:EC2/BitcoinTool.B', tactic: 'Impact', technique: 'T1496' },
    ],
  },
];

export function sequenceRecipe(type: string): SequenceRecipe | undefined {
  return SEQUENCE_RECIPES.find((r) => r.type === type);
}
