import type { App, AwsSourceSpec } from '../app/app.js';
import type { CheckOutput } from './check-output.js';
import { explainFailure } from './check-hints.js';
import { routeNote } from './check-soar.js';
import type { RouteCounts } from '../util/proxy-routing.js';

/** A finding id no detector has: GetFindings answers it with an empty list, so the call only tests the permission. */
const PLACEHOLDER_FINDING_ID = '00000000000000000000000000000000';

/**
 * The AWS checks of one credential set: who we are (STS GetCallerIdentity, through AssumeRole when a
 * role is configured), which regions are enabled and selected (EC2 DescribeRegions), then per
 * selected region the detector, the read permissions and whether this account may archive.
 */
export async function checkAws(app: App, spec: AwsSourceSpec, out: CheckOutput): Promise<void> {
  const { config } = app;
  const { source, label } = spec;
  const step: Step = async (name, permission, run, note) => {
    try {
      return { value: await run() };
    } catch (err) {
      const { reason, fix } = explainFailure(err, 'aws', permission);
      out({ verdict: 'FAIL', name, detail: `${reason}${note?.() ?? ''}`, fix });
      return undefined;
    }
  };

  const via = config.aws.roleArn || config.aws.roleArns.length > 0 ? 'sts:AssumeRole, then sts:GetCallerIdentity' : 'sts:GetCallerIdentity';
  // The first call says which way AWS traffic goes: through the proxy, or around it (NO_PROXY).
  const before = spec.routed();
  const route = (): string => awsRoute(app, before, spec.routed());
  const identity = await step(`AWS identity (${label})`, via, () => source.identity(), route);
  if (!identity) return;
  out({ verdict: 'OK', name: `AWS identity (${label})`, detail: `${identity.value.arn} (account ${identity.value.account})${route()}` });

  const regions = await step('AWS regions', 'ec2:DescribeRegions', () => source.listRegions());
  if (!regions) return;
  const selected = regions.value.map((r) => r.name).filter((n) => config.aws.regions.test(n)).sort();
  out({
    verdict: selected.length > 0 ? 'OK' : 'FAIL',
    name: 'AWS regions',
    detail: `${regions.value.length} enabled (DescribeRegions in ${config.aws.masterRegion}); ${selected.length} match aws_gd_regions /${config.aws.regions.source}/${selected.length ? `: ${selected.join(', ')}` : ''}`,
    fix: selected.length ? undefined : 'Widen aws_gd_regions (an unanchored, case-insensitive regex such as ^us-), or enable the opt-in regions you want.',
  });

  const withoutDetector: string[] = [];
  for (const region of selected) {
    const detectors = await step(`GuardDuty detector in ${region}`, 'guardduty:ListDetectors', () => source.listDetectors(region));
    if (!detectors) continue;
    const detectorId = detectors.value[0];
    if (!detectorId) {
      // The daemon skips such a region and looks again at each rediscovery: worth knowing, not a failure.
      withoutDetector.push(region);
      out({
        verdict: 'WARN', name: `GuardDuty detector in ${region}`, detail: 'none: GuardDuty is not enabled in this region, which is not polled',
        fix: `Enable GuardDuty in ${region} to have it polled, or leave it out of aws_gd_regions to silence this line.`,
      });
      continue;
    }
    out({ verdict: 'OK', name: `GuardDuty detector in ${region}`, detail: detectorId });

    const read = `GuardDuty findings in ${region}`;
    const listed = await step(read, 'guardduty:ListFindings', async () => {
      for await (const page of source.listFindingIds(region, detectorId, { criteria: {}, sortBy: 'updatedAt', order: 'DESC', pageSize: 1 })) return page;
      return [];
    });
    if (!listed) continue;
    const fetched = await step(read, 'guardduty:GetFindings', () => source.getFindings(region, detectorId, listed.value.length ? listed.value : [PLACEHOLDER_FINDING_ID]));
    if (!fetched) continue;
    out({ verdict: 'OK', name: read, detail: 'ListFindings and GetFindings allowed' });

    await checkArchive(app, spec, region, detectorId, out, step);
  }
  if (selected.length > 0 && withoutDetector.length === selected.length) {
    out({
      verdict: 'FAIL', name: 'GuardDuty detectors', detail: `none of the ${selected.length} selected regions has one: nothing would be polled`,
      fix: 'Enable GuardDuty in a selected region, or point aws_gd_regions at the regions where it is enabled.',
    });
  }
}

type Step = <T>(name: string, permission: string, run: () => Promise<T>, note?: () => string) => Promise<{ value: T } | undefined>;

/** Which way the first AWS call went (the endpoint's scheme has its own proxy), from what the routing agents did. */
function awsRoute(app: App, before: Record<'http' | 'https', RouteCounts>, after: Record<'http' | 'https', RouteCounts>): string {
  const { httpProxy, httpsProxy } = app.config.aws;
  const notes = (['http', 'https'] as const).map((scheme) => {
    const url = scheme === 'http' ? httpProxy : httpsProxy;
    return routeNote(url === undefined ? undefined : { url }, before[scheme], after[scheme], 'the AWS endpoint');
  });
  return notes.find((n) => n !== '') ?? '';
}

/** GuardDuty lets only the administrator account archive: a member's credentials cannot close the loop. */
async function checkArchive(app: App, spec: AwsSourceSpec, region: string, detectorId: string, out: CheckOutput, step: Step): Promise<void> {
  const name = `GuardDuty archive in ${region}`;
  if (!app.config.sync.archiveOnClose) {
    out({ verdict: 'OK', name, detail: 'not needed (aws_gd_archive_on_close = false)' });
    return;
  }
  const admin = await step(name, 'guardduty:GetAdministratorAccount', () => spec.source.administratorOf(region, detectorId));
  if (!admin) return;
  if (admin.value === undefined) {
    out({ verdict: 'OK', name, detail: 'this account is not a GuardDuty member account: it may archive findings (IAM: guardduty:ArchiveFindings)' });
    return;
  }
  out({
    verdict: 'FAIL',
    name,
    detail: `this account is a member of GuardDuty administrator ${admin.value}; only the administrator may archive findings`,
    fix: "Use the administrator account's credentials (or a role in it), or set aws_gd_archive_on_close = false.",
  });
}
