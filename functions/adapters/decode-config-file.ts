/**
 * Turns the bytes of one config-repository file into a SourceFile, for both ConfigSources (local-fs,
 * github). It refuses, naming FILE:LINE(:COL), a file over its byte limit (core/input-limits.ts) and a
 * file that is not UTF-8: a lenient decode would turn the bad bytes into U+FFFD, which then passes
 * validation and reaches the cluster (issue 10 item 8).
 */
import { fileByteLimit, formatBytes } from '../core/input-limits.ts';
import type { SourceFile } from '../core/model.ts';
import { SourceError } from './errors.ts';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Line (1-based) holding byte `offset`: the newlines before it, plus one. */
function lineAtByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i += 1) if (bytes[i] === 0x0a) line += 1;
  return line;
}

/** Byte offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629 §4). */
export function findInvalidUtf8(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    // the second byte's range rules out overlong forms, surrogates and code points past U+10FFFF
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k += 1) {
      const next = bytes[i + k];
      if (next === undefined || next < (k === 1 ? low : 0x80) || next > (k === 1 ? high : 0xbf)) return i;
    }
    i += length;
  }
  return undefined;
}

/**
 * Refuses a file of `size` bytes over its limit. `head`, when given, holds at least the first
 * limit + 1 bytes, so the error names the line where the limit is crossed.
 */
export function checkFileSize(path: string, size: number, head?: Uint8Array): void {
  const limit = fileByteLimit(path);
  if (size <= limit) return;
  const line = head === undefined ? undefined : lineAtByte(head, limit);
  const at = line === undefined ? path : `${path}:${line}`;
  throw new SourceError('source.file-too-large', `${at}: ${formatBytes(size)}, more than the ${formatBytes(limit)} a config file may hold; split it or remove what regops does not read`, {
    file: path,
    ...(line === undefined ? {} : { line }),
    bytes: size,
    limit,
  });
}

/**
 * Refuses a repository whose files together pass `limit` bytes (INPUT_LIMITS.repositoryBytes, lower in
 * tests), naming the file that crossed it.
 */
export function checkRepositorySize(path: string, total: number, limit: number): void {
  if (total <= limit) return;
  throw new SourceError('source.repository-too-large', `${path}:1: the config files read so far (in path order) hold ${formatBytes(total)}, more than the ${formatBytes(limit)} regops reads from one repository; move what regops does not read out of fleet.yaml, base/, groups/ and clusters/`, {
    file: path,
    line: 1,
    bytes: total,
    limit,
  });
}

/** The file as text, or SourceError `source.file-too-large` / `source.not-utf8` naming FILE:LINE(:COL). */
export function decodeConfigFile(path: string, bytes: Uint8Array): SourceFile {
  checkFileSize(path, bytes.length, bytes);
  try {
    return { path, content: decoder.decode(bytes) };
  } catch (error) {
    const offset = findInvalidUtf8(bytes) ?? 0;
    const line = lineAtByte(bytes, offset);
    let start = offset;
    while (start > 0 && bytes[start - 1] !== 0x0a) start -= 1;
    // the bytes before the bad one on its line are valid, so they decode; col counts characters as the YAML positions do
    const col = decoder.decode(bytes.subarray(start, offset)).length + 1;
    // the bytes themselves are not shown: the file may hold a secret by mistake
    throw new SourceError('source.not-utf8', `${path}:${line}:${col}: not UTF-8 text; save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)`, {
      file: path,
      line,
      col,
    }, { cause: error });
  }
}
