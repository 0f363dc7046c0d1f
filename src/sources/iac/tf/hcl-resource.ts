/**
 * One block of a .tf file (resource, data source or module call) as a TfResource: its hcl2json body evaluated,
 * the references of each argument, policies read from `policy`/`json` arguments (heredoc JSON, jsonencode(...),
 * a policy document data source) and positions from the source scan.
 */
import type { ReadLog } from '../log';
import { childPointer } from '../pointer';
import type { LineIndex, Position } from '../positions';
import type { TemplateLocation, TemplateSuppression } from '../types';
import { Evaluator, type OffsetTrail } from './evaluate';
import { type Expr, HclSyntaxError, traversalsOf } from './hcl-ast';
import type { HclAttribute, HclBlock } from './hcl-scan';
import type { HclScope } from './hcl-scope';
import { heredocPositions, type ParsedString, parseHclString } from './hcl-strings';
import { referencedAddress, type TfPolicy, type TfResource } from './model';
import { policyDocumentOf } from './policy-document';
import { policyFromText } from './policy-text';

export interface HclFile {
  file: string;
  text: string;
  lines: LineIndex;
  log: ReadLog;
  scope(): HclScope;
  resources: Map<string, TfResource>;
  /** Where notes raised while evaluating go (the argument being evaluated). */
  context: Array<{ pointer: string; located: boolean; fallback?: Position }>;
}

export interface HclBlockInput {
  address: string;
  mode: TfResource['mode'];
  type: string;
  name: string;
  pointer: string;
  body: Record<string, unknown>;
  block?: HclBlock;
  suppressions: TemplateSuppression[];
  peerSuppressions: string[];
}

export class HclBlockResource implements TfResource {
  readonly address: string;
  readonly mode: TfResource['mode'];
  readonly type: string;
  readonly name: string;
  readonly suppressions: TemplateSuppression[];
  readonly peerSuppressions: string[];
  readonly location?: TemplateLocation;
  private evaluated?: Record<string, unknown>;
  private readonly references = new Map<string, string[]>();
  private readonly policies = new Map<string, TfPolicy | undefined>();

  constructor(
    private readonly hcl: HclFile,
    private readonly input: HclBlockInput,
  ) {
    this.address = input.address;
    this.mode = input.mode;
    this.type = input.type;
    this.name = input.name;
    this.suppressions = input.suppressions;
    this.peerSuppressions = input.peerSuppressions;
    if (input.block) this.location = this.at(input.pointer, input.block.start);
  }

  get attrs(): Record<string, unknown> {
    if (!this.evaluated) {
      this.evaluated = {};
      const result = this.evaluateRaw(this.input.body, this.input.pointer, '');
      this.evaluated = (result ?? {}) as Record<string, unknown>;
    }
    return this.evaluated;
  }

  private at(pointer: string, offset: number): TemplateLocation {
    const position = this.hcl.lines.position(offset);
    return { file: this.hcl.file, pointer, line: position.line, column: position.column };
  }

  /** The scanned attribute at a path such as `policy`, `statement/0/actions`, `inline_policy/1/policy`. */
  private attributeAt(path: string): HclAttribute | undefined {
    const segments = path.split('/').filter((s) => s !== '');
    let block = this.input.block;
    for (let i = 0; block && i < segments.length; i++) {
      const segment = segments[i] as string;
      const attribute = block.attributes.get(segment);
      if (attribute || i === segments.length - 1) return attribute;
      const index = /^\d+$/.test(segments[i + 1] ?? '') ? Number(segments[++i]) : 0;
      block = block.blocks.filter((b) => b.type === segment)[index];
    }
    return undefined;
  }

  locate(path: string): TemplateLocation | undefined {
    const pointer = `${this.input.pointer}/${path}`;
    const attribute = this.attributeAt(path);
    if (attribute) return this.at(pointer, attribute.start);
    // The deepest nested block on the path (`statement/1/principals/0` without principals -> statement 1).
    const segments = path.split('/').filter((s) => s !== '');
    let block = this.input.block;
    let found: HclBlock | undefined;
    for (let i = 0; block && i < segments.length; i++) {
      const index = /^\d+$/.test(segments[i + 1] ?? '') ? Number(segments[i + 1]) : 0;
      const next: HclBlock | undefined = block.blocks.filter((b) => b.type === segments[i])[index];
      if (!next) break;
      block = next;
      found = next;
      if (/^\d+$/.test(segments[i + 1] ?? '')) i++;
    }
    return found ? this.at(pointer, found.start) : this.location;
  }

  /** Addresses referenced anywhere in the argument at `path` (read from the source, nothing evaluated). */
  refs(path: string): string[] {
    const cached = this.references.get(path);
    if (cached) return cached;
    const found = new Set<string>();
    const visit = (raw: unknown, depth: number): void => {
      if (depth > 100) return;
      if (Array.isArray(raw)) for (const item of raw) visit(item, depth + 1);
      else if (typeof raw === 'object' && raw !== null) for (const item of Object.values(raw)) visit(item, depth + 1);
      else if (typeof raw === 'string') {
        try {
          const parsed = parseHclString(raw, undefined, this.hcl.text);
          if (!parsed) return;
          for (const traversal of traversalsOf(parsed.expr)) {
            const address = referencedAddress(traversal);
            if (address) found.add(address);
          }
        } catch {
          // an expression keywarden cannot parse references nothing it can follow
        }
      }
    };
    visit(this.rawAt(path), 0);
    const list = [...found];
    this.references.set(path, list);
    return list;
  }

  private rawAt(path: string): unknown {
    let raw: unknown = this.input.body;
    for (const segment of path.split('/').filter((s) => s !== '')) {
      raw = Array.isArray(raw) ? raw[Number(segment)] : (raw as Record<string, unknown> | undefined)?.[segment];
    }
    return raw;
  }

  private evaluateRaw(raw: unknown, pointer: string, path: string, depth = 0): unknown {
    if (depth > 100) return undefined;
    if (Array.isArray(raw))
      return raw.map((item, i) => this.evaluateRaw(item, childPointer(pointer, i), `${path}/${i}`, depth + 1));
    if (typeof raw === 'object' && raw !== null) {
      if (depth === 0 && 'dynamic' in raw) {
        this.hcl.log.note(
          childPointer(pointer, 'dynamic'),
          `${this.address} uses dynamic blocks: keywarden does not expand them`,
        );
      }
      return Object.fromEntries(
        Object.entries(raw).map(([key, value]) => [
          key,
          this.evaluateRaw(value, childPointer(pointer, key), path ? `${path}/${key}` : key, depth + 1),
        ]),
      );
    }
    if (typeof raw !== 'string') return raw;
    return this.evaluateString(raw, pointer, path);
  }

  evaluateString(raw: string, pointer: string, path: string, trail?: OffsetTrail): unknown {
    const attribute = this.attributeAt(path);
    let parsed: ParsedString | undefined;
    try {
      parsed = parseHclString(raw, attribute, this.hcl.text);
    } catch (error) {
      if (!(error instanceof HclSyntaxError)) throw error;
      this.hcl.log.note(
        pointer,
        `keywarden could not read this expression (${error.message}): its value stays symbolic`,
      );
      return `{{${raw.replace(/^\$\{|\}$/g, '')}}}`;
    }
    if (!parsed) return raw;
    const fallback = attribute ? this.hcl.lines.position(attribute.start) : undefined;
    this.hcl.context.push({ pointer, located: parsed.located, ...(fallback ? { fallback } : {}) });
    try {
      const evaluator = new Evaluator(this.hcl.scope(), parsed.text, parsed.base);
      return evaluator.evaluate(parsed.expr, trail);
    } finally {
      this.hcl.context.pop();
    }
  }

  policy(path: string): TfPolicy | undefined {
    if (!this.policies.has(path)) this.policies.set(path, this.readPolicy(path));
    return this.policies.get(path);
  }

  private readPolicy(path: string): TfPolicy | undefined {
    if (this.type === 'aws_iam_policy_document' && this.mode === 'data' && path === 'json') {
      return policyDocumentOf(this, this.hcl.log);
    }
    const raw = this.rawAt(path);
    if (raw === undefined || raw === null) return undefined;
    const pointer = `${this.input.pointer}/${path}`;
    const location = this.locate(path);
    const fallback = location?.line !== undefined ? { line: location.line, column: location.column ?? 1 } : undefined;
    if (typeof raw !== 'string') {
      this.hcl.log.error(
        pointer,
        'a policy argument must be a JSON string: wrap the object in jsonencode(...)',
        fallback,
      );
      return undefined;
    }
    const attribute = this.attributeAt(path);
    const parsed = (() => {
      try {
        return parseHclString(raw, attribute, this.hcl.text);
      } catch {
        return undefined;
      }
    })();
    const whole = parsed?.expr.kind === 'template' && parsed.expr.parts.length === 1 ? parsed.expr.parts[0] : undefined;
    if (whole && typeof whole !== 'string') {
      if (whole.kind === 'traversal' && whole.root === 'data' && whole.steps.length >= 3) {
        const address = referencedAddress(traversalsOf(whole)[0] ?? '');
        const target = address ? this.hcl.resources.get(address) : undefined;
        if (target?.type === 'aws_iam_policy_document') return target.policy('json');
      }
      if (whole.kind === 'call' && whole.name === 'jsonencode' && whole.args.length === 1) {
        return this.jsonencoded(whole.args[0] as Expr, raw, pointer, path, parsed?.located === true, location);
      }
      const value = this.evaluateString(raw, pointer, path);
      if (typeof value === 'string' && !value.startsWith('{{')) {
        return policyFromText(value, {
          file: this.hcl.file,
          pointer,
          log: this.hcl.log,
          ...(fallback ? { fallback } : {}),
        });
      }
      const expression = raw.slice(2, -1).replace(/\s+/g, ' ');
      this.hcl.log.note(
        pointer,
        `the policy of ${this.address} is unknown before apply: ${expression.length > 80 ? `${expression.slice(0, 80)}…` : expression}`,
        fallback,
      );
      return { document: value, ...(location ? { location } : {}), locate: () => location };
    }
    return policyFromText(raw, {
      file: this.hcl.file,
      pointer,
      log: this.hcl.log,
      ...(fallback ? { fallback } : {}),
      ...(attribute ? { positionOf: heredocPositions(this.hcl.text, this.hcl.lines, attribute, raw) } : {}),
      interpolate: (text) => this.evaluateString(text, pointer, path),
    });
  }

  private jsonencoded(
    arg: Expr,
    raw: string,
    pointer: string,
    path: string,
    located: boolean,
    location: TemplateLocation | undefined,
  ): TfPolicy {
    const trail: OffsetTrail = new Map();
    const parsed = parseHclString(raw, this.attributeAt(path), this.hcl.text) as ParsedString;
    this.hcl.context.push({ pointer, located });
    let document: unknown;
    try {
      document = new Evaluator(this.hcl.scope(), parsed.text, parsed.base).evaluate(arg, trail);
    } finally {
      this.hcl.context.pop();
    }
    const locate = (inner: string): TemplateLocation | undefined => {
      if (!located) return location ? { ...location, pointer: `${pointer}${inner}` } : undefined;
      let current: string | undefined = inner;
      while (current !== undefined) {
        const offset = trail.get(current);
        if (offset !== undefined) return this.at(`${pointer}${inner}`, offset);
        current = current === '' ? undefined : current.slice(0, current.lastIndexOf('/'));
      }
      return location;
    };
    return { document, ...(location ? { location } : {}), locate };
  }
}
