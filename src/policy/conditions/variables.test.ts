// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are literal ${...} text
import { describe, expect, it } from 'vitest';
import { parseValueTemplate, resolveTemplate, variableLookup } from './variables';

describe('policy variables', () => {
  const lookup = variableLookup({ 'aws:username': 'bob', 'aws:TagKeys': ['a'] });
  const resolve = (value: string) => {
    const template = parseValueTemplate(value);
    return template === undefined ? value : resolveTemplate(template, lookup)?.text;
  };

  it.each([
    ['plain', 'plain'],
    ['home/${aws:username}', 'home/bob'],
    ['${ aws:username }', 'bob'],
    ["${aws:missing, 'dflt'}", 'dflt'],
    ["${aws:missing, 'a''b'}", "a'b"],
    ['${aws:missing}', undefined],
    ['${aws:TagKeys}', undefined], // multivalued keys do not resolve
    ['${aws:missing, dflt}', undefined], // malformed default
    ['${}', undefined],
    ['${*}${?}${$}', '*?$'],
    ['unclosed ${aws:username', 'unclosed ${aws:username'],
  ])('%j -> %j', (value, expected) => {
    expect(resolve(value)).toBe(expected);
  });

  it('marks escapes and substituted text literal', () => {
    const resolved = resolveTemplate(parseValueTemplate('a*${*}${aws:username}')!, lookup)!;
    expect(resolved.text).toBe('a**bob');
    expect(Array.from(resolved.literal!)).toEqual([0, 0, 1, 1, 1, 1]);
    expect(parseValueTemplate('${*}')!.dynamic).toBe(false);
    expect(parseValueTemplate('${aws:username}')!.dynamic).toBe(true);
  });
});
