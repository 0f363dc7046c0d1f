import { describe, expect, it } from 'vitest';
import { detectTemplate } from '../../src/sources/iac';
import { fixture } from './helpers';

describe('detectTemplate picks the reader by content', () => {
  it('CloudFormation and SAM, YAML and JSON', () => {
    expect(detectTemplate(fixture('positions.yaml'), 'a.yaml')).toBe('cloudformation');
    expect(detectTemplate(fixture('positions.json'), 'a.json')).toBe('cloudformation');
    expect(detectTemplate(fixture('sam-app.yaml'), 'template.yml')).toBe('sam');
    expect(detectTemplate('{"Transform": ["AWS::Serverless-2016-10-31"], "Resources": {}}', 'x.json')).toBe('sam');
    expect(detectTemplate('Resources:\n  A:\n    Type: AWS::SNS::Topic\n', 'no-extension')).toBe('cloudformation');
  });

  it('Terraform plans and .tf files', () => {
    expect(detectTemplate(fixture('plan-kms.json'), 'plan.json')).toBe('terraform-plan');
    expect(detectTemplate(fixture('tf/kms.tf'), 'kms.tf')).toBe('terraform-hcl');
    expect(detectTemplate('resource "aws_kms_key" "k" {}\n', 'main')).toBe('terraform-hcl');
  });

  it('anything else is not a template', () => {
    expect(detectTemplate('name: x\ninput:\n  Resources: {}\n', 'guard-test.yml')).toBeUndefined();
    expect(detectTemplate('{"Version": "2012-10-17", "Statement": []}', 'policy.json')).toBeUndefined();
    expect(detectTemplate('[1, 2]', 'list.json')).toBeUndefined();
    expect(detectTemplate('', 'empty.yaml')).toBeUndefined();
  });
});
