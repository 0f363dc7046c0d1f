/**
 * docs/detections: every investigation as a Sigma rule and a CloudWatch Logs Insights query. Each Sigma file parses,
 * has the fields a Sigma rule needs, and names only fields that exist in real CloudTrail records; so do the queries.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { INVESTIGATIONS } from '../../src/trail/detect/investigation';
import { awsdocsRecord, awsdocsTrailFiles, hasCorpus, PANTHER_RULES, pantherTests, stratusRecords } from './corpus';
import { template } from './helpers';

const DETECTIONS = join(import.meta.dirname, '../../docs/detections');
const TEMPLATES = join(import.meta.dirname, 'fixtures/templates');

/** Every field path present in a set of real records (array items under their index, as Insights flattens them). */
const knownPaths = (() => {
  const paths = new Set<string>();
  const walk = (value: unknown, path: string) => {
    if (path) paths.add(path);
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(item, `${path}.${index}`);
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) walk(child, path ? `${path}.${key}` : key);
    }
  };
  for (const name of readdirSync(TEMPLATES)) walk(template(name.replace(/\.json$/, '')), '');
  if (hasCorpus) {
    for (const file of awsdocsTrailFiles().filter((f) => f.endsWith('.json'))) {
      const record = awsdocsRecord(file.slice(file.lastIndexOf('/') + 1));
      for (const item of (record.Records as unknown[]) ?? [record]) walk(item, '');
    }
    for (const record of stratusRecords()) walk(record, '');
    for (const name of readdirSync(PANTHER_RULES)) for (const test of pantherTests(name)) walk(test.log, '');
  }
  return paths;
})();

const sigmaFiles = readdirSync(DETECTIONS).filter((name) => name.endsWith('.sigma.yml'));
const insightsFiles = readdirSync(DETECTIONS).filter((name) => name.endsWith('.logs-insights.txt'));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The fields a Sigma rule's detection, correlation and `fields` list name (modifiers stripped, fieldrefs included). */
const sigmaFields = (rule: Record<string, unknown>): string[] => {
  const fields: string[] = [];
  const selection = (value: unknown) => {
    const maps = Array.isArray(value) ? value : [value];
    for (const map of maps) {
      if (!map || typeof map !== 'object') continue;
      for (const [key, target] of Object.entries(map)) {
        const [field, ...modifiers] = key.split('|');
        fields.push(field as string);
        if (modifiers.includes('fieldref')) fields.push(String(target));
      }
    }
  };
  for (const [name, value] of Object.entries((rule.detection as Record<string, unknown>) ?? {})) {
    if (name !== 'condition') selection(value);
  }
  const correlation = rule.correlation as { 'group-by'?: string[]; condition?: { field?: string } } | undefined;
  fields.push(...(correlation?.['group-by'] ?? []));
  if (correlation?.condition?.field) fields.push(correlation.condition.field);
  fields.push(...((rule.fields as string[] | undefined) ?? []));
  return fields;
};

describe('docs/detections', () => {
  it('has a Sigma rule and a Logs Insights query for every investigation', () => {
    for (const investigation of INVESTIGATIONS) {
      expect(sigmaFiles).toContain(`${investigation}.sigma.yml`);
      expect(insightsFiles).toContain(`${investigation}.logs-insights.txt`);
    }
  });

  describe.each(sigmaFiles)('%s', (file) => {
    const documents = parseAllDocuments(readFileSync(join(DETECTIONS, file), 'utf8'));
    const rules = documents.map((document) => document.toJS() as Record<string, unknown>);

    it('parses as YAML, without errors', () => {
      for (const document of documents) expect(document.errors).toEqual([]);
    });

    it('has the fields of a Sigma rule (or correlation rule)', () => {
      for (const rule of rules) {
        expect(rule.title).toEqual(expect.any(String));
        expect(rule.id).toMatch(UUID);
        expect(['experimental', 'test', 'stable']).toContain(rule.status);
        expect(['informational', 'low', 'medium', 'high', 'critical']).toContain(rule.level);
        if (rule.correlation) {
          const correlation = rule.correlation as { type: string; rules: string[]; timespan: string };
          expect(['event_count', 'value_count', 'temporal']).toContain(correlation.type);
          const named = rules.map((r) => r.name).filter(Boolean);
          for (const name of correlation.rules) expect(named).toContain(name);
          expect(correlation.timespan).toMatch(/^\d+[smhd]$/);
        } else {
          expect(rule.logsource).toEqual({ product: 'aws', service: 'cloudtrail' });
          const detection = rule.detection as Record<string, unknown>;
          expect(detection.condition).toEqual(expect.any(String));
          const names = Object.keys(detection).filter((name) => name !== 'condition');
          for (const word of String(detection.condition).match(/\b(selection|filter)\w*/g) ?? []) {
            const matches = word.endsWith('_') ? names.some((n) => n.startsWith(word)) : names.includes(word);
            expect(matches, `${word} in the condition`).toBe(true);
          }
        }
      }
    });

    it('names only fields that exist in CloudTrail records', () => {
      for (const rule of rules) {
        for (const field of sigmaFields(rule)) expect(knownPaths.has(field), `${file}: ${field}`).toBe(true);
      }
    });
  });

  describe.each(insightsFiles)('%s', (file) => {
    const text = readFileSync(join(DETECTIONS, file), 'utf8');
    const query = text
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('#'))
      .join('\n');

    it('filters CloudTrail records', () => {
      expect(query).toMatch(/(^|\|)\s*filter /m);
    });

    it('names only fields that exist in CloudTrail records', () => {
      const code = query.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\/(?:[^/\\\n]|\\.)+\//g, '//');
      const dotted = code.match(/\b[a-zA-Z]+(?:\.[a-zA-Z0-9]+)+\b/g) ?? [];
      expect(dotted.length).toBeGreaterThan(0);
      for (const field of dotted) expect(knownPaths.has(field), `${file}: ${field}`).toBe(true);
    });
  });
});
