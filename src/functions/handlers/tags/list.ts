import { FUNCTION, defineFunction } from '../../function-definition.js';
import { INPUT } from '../../function-inputs.js';
import type { FunctionModule } from '../../function-module.js';
import { onTaggedResource } from './tag-target.js';

/** `aws_guardduty_list_tags_for_resource`: the tags of a detector, IPSet, ThreatIntelSet or filter. */
export const listTags: FunctionModule = {
  definition: defineFunction(
    FUNCTION.listTags, 'AWS GuardDuty: List tags', 'Lists the tags of a GuardDuty detector, IPSet, ThreatIntelSet or filter.',
    [INPUT.detectorId, INPUT.region, INPUT.resourceArn],
  ),
  handler: (deps) => onTaggedResource(deps, async (_, t, arn) => ({ resource_arn: arn, tags: await t.source.listTags(t.region, arn) })),
};
