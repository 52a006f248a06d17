import { FUNCTION, defineFunction } from '../../function-definition.js';
import { INPUT } from '../../function-inputs.js';
import type { FunctionModule } from '../../function-module.js';
import { FunctionInputError } from '../../function-types.js';
import { optionalText } from '../../inputs.js';
import { onTaggedResource } from './tag-target.js';

/** `aws_guardduty_untag_resource`: removes the tags of the keys given (`aws_gd_tag_keys`). */
export const untagResource: FunctionModule = {
  definition: defineFunction(
    FUNCTION.untagResource, 'AWS GuardDuty: Untag resource', 'Removes tags from a GuardDuty detector, IPSet, ThreatIntelSet or filter.',
    [INPUT.detectorId, INPUT.region, INPUT.resourceArn, INPUT.tagKeys],
  ),
  handler: (deps) => onTaggedResource(deps, async (inputs, t, arn) => {
    const keys = [...new Set((optionalText(inputs, INPUT.tagKeys) ?? '').split(',').map((k) => k.trim()).filter((k) => k !== ''))];
    if (keys.length === 0) throw new FunctionInputError(INPUT.tagKeys, 'tag keys separated by commas');
    await t.source.untagResource(t.region, arn, keys);
    return { status: 'ok', resource_arn: arn, removed: keys };
  }),
};
