/**
 * The file source: snapshot records and bare key policies from files and folders. In a folder, files are
 * recognised by content; a .json/.yaml file that does not parse is an input error (a Gap naming file and line), one
 * that parses but is no known input is listed as skipped. Nothing is silently left out.
 */
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import { findNodeAtLocation, type Node, parseTree } from 'jsonc-parser';
import type { Gap, SourceItem } from '../../kms/snapshot';
import { readBarePolicy, readSnapshotRecord, recogniseInput } from '../../kms/snapshot-read';
import type { Location } from '../../policy/types';
import { readTemplateInput, TEMPLATE_ONLY_EXTENSIONS, type TemplateInputOptions } from '../iac/to-snapshots';
import { lineColumn, parseJsonText, parseYamlText } from './json-text';

export interface FileSourceOptions {
  /** Owner account of bare key policies (else: the one account whose root they name). */
  account?: string;
  region?: string;
  /** Paths shown to users relative to this folder. */
  cwd?: string;
  now: () => string;
  /** Largest file read, in bytes (default 64 MiB). */
  maxBytes?: number;
  /** Parameters and account of CloudFormation/SAM/Terraform templates (src/sources/iac/to-snapshots.ts). */
  templates?: TemplateInputOptions;
}

const DATA_EXTENSIONS = new Set(['.json', '.yaml', '.yml', ...TEMPLATE_ONLY_EXTENSIONS]);
const SKIP_DIRS = new Set(['node_modules', '.git']);
/** `a.localeCompare(b)`, without building a collator for each of the many comparisons of a large folder. */
const byLocale = new Intl.Collator();
/** One strict decoder for every file (decode() without streaming starts afresh each time). */
let utf8 = new TextDecoder('utf-8', { fatal: true });

async function* walk(path: string, explicit: boolean): AsyncGenerator<{ file: string; explicit: boolean } | Gap> {
  // Synchronous reads: thousands of small files read one after another are I/O-latency bound when awaited.
  let info: ReturnType<typeof statSync>;
  try {
    info = statSync(path);
  } catch (e) {
    yield {
      gap: true,
      file: path,
      reason:
        (e as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'no such file or folder'
          : `cannot read: ${(e as Error).message}`,
    };
    return;
  }
  if (info.isDirectory()) {
    const entries = readdirSync(path, { withFileTypes: true }).sort((a, b) => byLocale.compare(a.name, b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || SKIP_DIRS.has(entry.name)) continue;
      const child = join(path, entry.name);
      if (entry.isDirectory()) yield* walk(child, false);
      else if (entry.isFile() && DATA_EXTENSIONS.has(extname(entry.name).toLowerCase()))
        yield { file: child, explicit: false };
    }
  } else yield { file: path, explicit };
}

/** Positions of JSON pointers in a JSON text, computed on first use. */
function jsonLocator(text: string): (pointer: string) => Location | undefined {
  let tree: Node | undefined;
  let loaded = false;
  return (pointer) => {
    if (!loaded) {
      loaded = true;
      tree = parseTree(text);
    }
    if (!tree) return undefined;
    const path = pointer
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const node = findNodeAtLocation(tree, path);
    return node ? { pointer, ...lineColumn(text, node.offset) } : undefined;
  };
}

/**
 * A file's size and (when within `maxBytes`) its bytes, with one open and one fstat: a stat before readFileSync costs
 * a system call per file, a large share of a folder of small files. Undefined on any error: the caller then takes the
 * stat + readFileSync path, whose error message it reports.
 */
function readOpened(path: string, maxBytes: number): { size: number; bytes?: Buffer } | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) return { size };
    // Sizes of 0 (special files) are read to their end, as readFileSync does.
    if (size === 0) return { size, bytes: readFileSync(fd) };
    const bytes = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, bytes, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return { size, bytes: read < size ? bytes.subarray(0, read) : bytes };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Offset of the first byte that breaks UTF-8, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const n = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

export async function* readFiles(paths: string[], options: FileSourceOptions): AsyncGenerator<SourceItem> {
  const show = (file: string) => (options.cwd ? relative(options.cwd, file) || file : file);
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  for (const path of paths) {
    for await (const item of walk(path, true)) {
      if ('gap' in item) {
        yield { ...item, file: show(item.file ?? path) };
        continue;
      }
      const file = show(item.file);
      let bytes: Buffer;
      try {
        const opened = readOpened(item.file, maxBytes);
        const size = opened?.size ?? statSync(item.file).size;
        if (size > maxBytes) {
          yield {
            gap: true,
            file,
            reason: `file is ${(size / 1048576).toFixed(1)} MiB, larger than the ${maxBytes / 1048576} MiB keywarden reads`,
          };
          continue;
        }
        bytes = opened?.bytes ?? readFileSync(item.file);
      } catch (e) {
        yield { gap: true, file, reason: `cannot read: ${(e as Error).message}` };
        continue;
      }
      let text: string;
      try {
        text = utf8.decode(bytes);
      } catch {
        utf8 = new TextDecoder('utf-8', { fatal: true });
        const at = firstInvalidUtf8(bytes);
        yield {
          gap: true,
          file,
          reason: 'not valid UTF-8 text',
          ...(at >= 0 ? lineColumn(bytes.subarray(0, at).toString('latin1'), at) : {}),
        };
        continue;
      }
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const template = await readTemplateInput(text, file, { ...options.templates, now: options.now });
      if (template) {
        yield* template;
        continue;
      }
      const isYaml = /\.ya?ml$/i.test(item.file);
      const parsed = isYaml ? parseYamlText(text) : parseJsonText(text);
      if (!parsed.ok) {
        yield {
          gap: true,
          file,
          reason: parsed.message,
          ...(parsed.line ? { line: parsed.line, column: parsed.column } : {}),
        };
        continue;
      }
      const kind = recogniseInput(parsed.value);
      if (kind === undefined) {
        yield { skipped: true, file, reason: 'not a keywarden snapshot or a key policy' };
        continue;
      }
      const origin = { kind: 'file' as const, file };
      if (kind === 'snapshot') {
        const locate = isYaml ? () => undefined : jsonLocator(text);
        const { snapshot, errors } = readSnapshotRecord(parsed.value, origin, locate);
        yield snapshot;
        for (const e of errors)
          yield {
            gap: true,
            file,
            key: snapshot.arn,
            reason: e.message,
            pointer: e.pointer,
            line: e.line,
            column: e.column,
          };
        continue;
      }
      const name = basename(item.file).replace(/\.(json|ya?ml)$/i, '');
      const result = readBarePolicy(
        isYaml ? JSON.stringify(parsed.value) : text,
        { ...origin, positionsInFile: !isYaml },
        {
          account: options.account,
          region: options.region,
          name,
          collectedAt: options.now(),
        },
      );
      if ('error' in result)
        yield {
          gap: true,
          file,
          reason: result.error.message,
          pointer: result.error.pointer,
          line: result.error.line,
          column: result.error.column,
        };
      else yield result.snapshot;
    }
  }
}
