/**
 * The regions DescribeRegions knows about. Standard regions need no opt-in; the others are opt-in
 * regions (`not-opted-in` unless the account enabled them). The list is realistic, not exhaustive.
 */

export interface CatalogRegion {
  name: string;
  optIn: boolean;
}

const STANDARD = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1',
  'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-southeast-1', 'ap-southeast-2', 'sa-east-1',
];

const OPT_IN = [
  'af-south-1', 'ap-east-1', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4',
  'eu-south-1', 'eu-south-2', 'eu-central-2', 'me-south-1', 'me-central-1', 'il-central-1', 'ca-west-1',
];

export const REGION_CATALOG: readonly CatalogRegion[] = [
  ...STANDARD.map((name) => ({ name, optIn: false })),
  ...OPT_IN.map((name) => ({ name, optIn: true })),
];

export function isOptInRegion(name: string): boolean {
  return OPT_IN.includes(name);
}

export function isKnownRegion(name: string): boolean {
  return STANDARD.includes(name) || OPT_IN.includes(name);
}

export const DEFAULT_DETECTOR_REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1'];
