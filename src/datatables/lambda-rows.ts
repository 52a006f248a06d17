import { asRecord, asRecords, firstText, textList } from '../findings/finding-values.js';
import type { Finding } from '../findings/finding.js';
import type { RawCells } from './row-cells.js';

/** The row of `gd_lambda_details`: the function, the version that ran, its role and network. */
export function lambdaRows(finding: Finding): RawCells[] {
  const lambda = asRecord(asRecord(finding.Resource)?.LambdaDetails);
  if (!lambda) return [];
  const vpc = asRecord(lambda.VpcConfig);
  const groups = asRecords(vpc?.SecurityGroups).map((g) => {
    const id = firstText(g.GroupId);
    const name = firstText(g.GroupName);
    return id !== undefined && name !== undefined ? `${id} (${name})` : (id ?? name);
  });
  return [{
    function_name: lambda.FunctionName,
    function_arn: lambda.FunctionArn,
    function_version: lambda.FunctionVersion,
    function_description: lambda.Description,
    role: lambda.Role,
    last_modified_at: lambda.LastModifiedAt,
    revision_id: lambda.RevisionId,
    vpc_id: vpc?.VpcId,
    subnet_ids: textList(vpc?.SubnetIds),
    security_groups: textList(groups),
  }];
}
