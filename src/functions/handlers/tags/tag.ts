import { FUNCTION, defineFunction } from '../../function-definition.js';
import { INPUT } from '../../function-inputs.js';
import type { FunctionModule } from '../../function-module.js';
import { FunctionInputError } from '../../function-types.js';
import { tagsInput } from '../../inputs.js';
import { onTaggedResource } from './tag-target.js';

/** `aws_guardduty_tag_resource`: adds or replaces tags (`aws_gd_tags`, required here). */
export const tagResource: FunctionModule = {
  definition: defineFunction(
    FUNCTION.tagResource, 'AWS GuardDuty: Tag resource', 'Adds or replaces tags on a GuardDuty detector, IPSet, ThreatIntelSet or filter.',
    [INPUT.detectorId, INPUT.region, INPUT.resourceArn, INPUT.tags],
  ),
  handler: (deps) => onTaggedResource(deps, async (inputs, t, arn) => {
    const tags = tagsInput(inputs);
    if (!tags) throw new FunctionInputError(INPUT.tags, 'tags as "Key: Value, Key2: Value2"');
    await t.source.tagResource(t.region, arn, tags);
    return { status: 'ok', resource_arn: arn, tags };
  }),
};
