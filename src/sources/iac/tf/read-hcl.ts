/**
 * Reads a Terraform .tf file: @cdktf/hcl2json parses it (and reports syntax errors with their position), a light
 * source scan locates blocks and arguments, and references are evaluated within the file. No terraform binary.
 */
import { environmentOf } from '../cfn/pseudo';
import { ReadLog } from '../log';
import { childPointer } from '../pointer';
import { LineIndex } from '../positions';
import type { TemplateReadOptions, TemplateReadResult, TemplateSuppression } from '../types';
import { extractTerraform } from './extract';
import { HclBlockResource, type HclFile } from './hcl-resource';
import { type HclBlock, scanHcl } from './hcl-scan';
import { HclScope } from './hcl-scope';
import type { TfResource } from './model';

type Body = Record<string, unknown>;

const isBody = (value: unknown): value is Body => typeof value === 'object' && value !== null && !Array.isArray(value);

export async function readTerraformHcl(
  text: string,
  file: string,
  options: TemplateReadOptions,
): Promise<TemplateReadResult> {
  const env = environmentOf(options);
  const lines = new LineIndex(text);
  const hcl: HclFile = {
    file,
    text,
    lines,
    log: new ReadLog(file, () => undefined),
    context: [],
    resources: new Map(),
    scope: () => scope,
  };
  const log = hcl.log;
  const result: TemplateReadResult = {
    file,
    format: 'terraform-hcl',
    account: env.account,
    keys: [],
    policies: [],
    grants: [],
    notes: log.notes,
    errors: log.errors,
  };
  let json: Body;
  try {
    // Loaded on first use: the module starts a WebAssembly runtime when imported.
    const { parse } = await import('@cdktf/hcl2json');
    json = (await parse(file, text)) as Body;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const located = /:(\d+),(\d+)-[\d,]+: ([^\]]+)/.exec(message);
    if (located) {
      log.error(undefined, `invalid HCL: ${located[3]?.trim()}`, {
        line: Number(located[1]),
        column: Number(located[2]),
      });
    } else log.error(undefined, `invalid HCL: ${message.split('\n')[0]}`);
    return result;
  }
  const blocks = scanHcl(text);
  const blocksByName = new Map<string, HclBlock[]>();
  for (const block of blocks) {
    const name = [block.type, ...block.labels].join('\u0000');
    blocksByName.set(name, [...(blocksByName.get(name) ?? []), block]);
  }
  const blockOf = (kind: string, labels: string[], occurrence: number) =>
    blocksByName.get([kind, ...labels].join('\u0000'))?.[occurrence];
  const variables: Record<string, Body> = {};
  if (isBody(json.variable)) {
    for (const [name, list] of Object.entries(json.variable))
      variables[name] = (Array.isArray(list) && isBody(list[0]) ? list[0] : {}) as Body;
  }
  const locals: Body = Object.assign({}, ...(Array.isArray(json.locals) ? json.locals.filter(isBody) : []));
  const add = (resource: TfResource) => hcl.resources.set(resource.address, resource);
  const declare = (
    mode: TfResource['mode'],
    type: string,
    name: string,
    bodies: unknown,
    pointer: string,
    labels: string[],
  ) => {
    const list = Array.isArray(bodies) ? bodies : [bodies];
    list.forEach((body, occurrence) => {
      const block = blockOf(mode === 'managed' ? 'resource' : mode, labels, occurrence);
      const address =
        mode === 'managed' ? `${type}.${name}` : mode === 'data' ? `data.${type}.${name}` : `module.${name}`;
      const at = block ? lines.position(block.start) : undefined;
      if (occurrence > 0) {
        log.error(pointer, `${address} is declared more than once: Terraform rejects duplicate names; rename one`, at);
        return;
      }
      if (!isBody(body)) return;
      if (body.count !== undefined || body.for_each !== undefined) {
        log.note(
          pointer,
          `${address} uses ${body.count !== undefined ? 'count' : 'for_each'}: read as a single instance`,
          at,
        );
      }
      add(
        new HclBlockResource(hcl, {
          address,
          mode,
          type,
          name,
          pointer,
          body,
          ...(block ? { block } : {}),
          ...suppressionsOf(block, pointer, lines, log),
        }),
      );
    });
  };
  for (const [mode, section] of [
    ['managed', json.resource],
    ['data', json.data],
  ] as const) {
    if (!isBody(section)) continue;
    for (const [type, byName] of Object.entries(section)) {
      if (!isBody(byName)) continue;
      for (const [name, bodies] of Object.entries(byName)) {
        const pointer = childPointer(childPointer(mode === 'managed' ? '/resource' : '/data', type), name);
        declare(mode, type, name, bodies, pointer, [type, name]);
      }
    }
  }
  if (isBody(json.module)) {
    for (const [name, bodies] of Object.entries(json.module))
      declare('module', 'module', name, bodies, childPointer('/module', name), [name]);
  }
  const scope: HclScope = new HclScope({
    env,
    parameters: options.parameters ?? {},
    variables,
    locals,
    resources: hcl.resources,
    evaluateRaw: (raw, pointer) => evaluateLoose(hcl, blocks, raw, pointer),
    policyDocumentJson: (resource) => JSON.stringify(resource.policy('json')?.document),
    note: (at, message) => {
      const context = hcl.context[hcl.context.length - 1];
      const position = context?.located ? lines.position(at) : context?.fallback;
      log.note(context?.pointer ?? '', message, position);
    },
  });
  const resources = [...hcl.resources.values()].sort(
    (a, b) =>
      (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0),
  );
  const extracted = extractTerraform(file, resources, env, log);
  result.keys = extracted.keys;
  result.policies = extracted.policies;
  result.grants = extracted.grants;
  return result;
}

/** Variable defaults (`/variable/<name>/default`) and locals (`/locals/<name>`), evaluated like arguments. */
function evaluateLoose(hcl: HclFile, blocks: HclBlock[], raw: unknown, pointer: string): unknown {
  const [section, name] = pointer.split('/').slice(1);
  const block =
    section === 'locals'
      ? blocks.find((b) => b.type === 'locals' && b.attributes.has(name ?? ''))
      : blocks.find((b) => b.type === 'variable' && b.labels[0] === name);
  const attribute = section === 'locals' ? (name ?? 'value') : 'default';
  const holder = new HclBlockResource(hcl, {
    address: pointer,
    mode: 'managed',
    type: '',
    name: '',
    pointer: section === 'locals' ? '/locals' : `/variable/${name}`,
    body: { [attribute]: raw },
    ...(block ? { block } : {}),
    suppressions: [],
    peerSuppressions: [],
  });
  return holder.attrs[attribute];
}

/**
 * Suppressions written as comments in or directly above a block:
 *   # keywarden:suppress <rule-id> <reason>
 * and other scanners' skips (checkov:skip=ID, tfsec:ignore:ID, trivy:ignore:ID), for reporting.
 */
function suppressionsOf(block: HclBlock | undefined, pointer: string, lines: LineIndex, log: ReadLog) {
  const suppressions: TemplateSuppression[] = [];
  const peerSuppressions: string[] = [];
  const comments: string[] = [];
  const gather = (b: HclBlock) => {
    comments.push(...b.comments);
    b.blocks.forEach(gather);
  };
  if (block) gather(block);
  for (const comment of comments) {
    const ours = /keywarden:suppress[=\s]+([A-Za-z0-9_.-]+)\s*(.*)$/.exec(comment);
    if (ours) {
      const reason = (ours[2] ?? '').replace(/\*\/\s*$/, '').trim();
      if (reason === '') {
        log.error(
          pointer,
          `the suppression of ${ours[1]} needs a reason: # keywarden:suppress ${ours[1]} <why this is safe>`,
          block ? lines.position(block.start) : undefined,
        );
      } else suppressions.push({ rule: ours[1] as string, reason });
    }
    for (const match of comment.matchAll(/(?:checkov:skip=|tfsec:ignore:|trivy:ignore:)([A-Za-z0-9_-]+)/g)) {
      peerSuppressions.push(match[1] as string);
    }
  }
  return { suppressions, peerSuppressions };
}
