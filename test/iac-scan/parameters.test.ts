import { describe, expect, it } from 'vitest';
import { parseParameter, parseParametersFile } from '../../src/cli/iac-options';

describe('template parameters', () => {
  it('--parameter Key=Value, repeatable; the value may hold "="', () => {
    expect(parseParameter('Stage=prod', parseParameter('Url=a=b'))).toEqual({ Url: 'a=b', Stage: 'prod' });
    expect(() => parseParameter('Stage')).toThrow(/expected Key=Value/);
    expect(() => parseParameter('=prod')).toThrow(/expected Key=Value/);
  });

  it('the CloudFormation parameters list, UsePreviousValue left out', () => {
    const text = JSON.stringify([
      { ParameterKey: 'Stage', ParameterValue: 'prod' },
      { ParameterKey: 'Count', ParameterValue: 3 },
      { ParameterKey: 'Old', UsePreviousValue: true },
    ]);
    expect(parseParametersFile(text, 'p.json')).toEqual({ Stage: 'prod', Count: '3' });
  });

  it('the {"Parameters": {...}} template configuration, lists joined as CommaDelimitedList', () => {
    const text = JSON.stringify({ Parameters: { Stage: 'prod', Subnets: ['a', 'b'] }, Tags: { x: 'y' } });
    expect(parseParametersFile(text, 'p.json')).toEqual({ Stage: 'prod', Subnets: 'a,b' });
  });

  it('anything else is an error naming the file and both shapes', () => {
    expect(() => parseParametersFile('{', 'p.json')).toThrow(/p\.json: not JSON/);
    expect(() => parseParametersFile('{"Stage": "prod"}', 'p.json')).toThrow(/expected \[\{"ParameterKey"/);
    expect(() => parseParametersFile('[{"ParameterValue": "x"}]', 'p.json')).toThrow(/entry 0 needs "ParameterKey"/);
    expect(() => parseParametersFile('{"Parameters": {"A": {"b": 1}}}', 'p.json')).toThrow(
      /Parameters\.A must be a string/,
    );
  });
});
