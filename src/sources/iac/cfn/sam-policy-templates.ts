/**
 * The SAM policy templates that concern KMS, copied as data from aws/serverless-application-model
 * samtranslator/policy_templates_data/policy_templates.json (commit 603eb020adce9485a410e1667198c5268349dc88).
 * SAM replaces `{"Ref": "<Parameter>"}` in the Definition by the value the function gives for that parameter.
 */

export interface SamPolicyTemplate {
  parameters: string[];
  definition: unknown;
}

const keyResource = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JavaScript template
  'Fn::Sub': ['arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${keyId}', { keyId: { Ref: 'KeyId' } }],
};

export const SAM_KMS_POLICY_TEMPLATES: Readonly<Record<string, SamPolicyTemplate>> = {
  KMSDecryptPolicy: {
    parameters: ['KeyId'],
    definition: { Statement: [{ Action: 'kms:Decrypt', Effect: 'Allow', Resource: keyResource }] },
  },
  KMSEncryptPolicy: {
    parameters: ['KeyId'],
    definition: { Statement: [{ Action: 'kms:Encrypt', Effect: 'Allow', Resource: keyResource }] },
  },
  KMSEncryptPolicy_v2: {
    parameters: ['KeyId'],
    definition: {
      Statement: [
        {
          Action: [
            'kms:Encrypt',
            'kms:GenerateDataKey',
            'kms:GenerateDataKeyWithoutPlaintext',
            'kms:GenerateDataKeyPair',
            'kms:GenerateDataKeyPairWithoutPlaintext',
          ],
          Effect: 'Allow',
          Resource: keyResource,
        },
      ],
    },
  },
};

/** Replaces `{Ref: <parameter>}` by the given raw values, as SAM does before CloudFormation sees the policy. */
export function expandSamTemplate(template: SamPolicyTemplate, values: Record<string, unknown>): unknown {
  const expand = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(expand);
    if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      const keys = Object.keys(record);
      if (keys.length === 1 && keys[0] === 'Ref' && typeof record.Ref === 'string' && record.Ref in values) {
        return values[record.Ref];
      }
      return Object.fromEntries(keys.map((key) => [key, expand(record[key])]));
    }
    return node;
  };
  return expand(template.definition);
}
