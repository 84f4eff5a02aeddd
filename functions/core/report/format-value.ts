/**
 * How text and Markdown reports print a field value: JSON, so `"true"` and `true` differ, with
 * `sha256:` digests shortened to 12 hex digits (`sha256:abcdef123456…`). Secret values never reach a
 * report, only their digests (DESIGN.md), and a short digest is enough to tell two apart by eye.
 */
import type { Json } from '../model.ts';

const digest = /sha256:([0-9a-f]{12})[0-9a-f]{52}/g;

/** Shortens every full `sha256:` digest in a text to its first 12 hex digits and `…`. */
export function shortenDigests(text: string): string {
  return text.replace(digest, 'sha256:$1…');
}

/** One-line rendering of a value; `(unset)` for an absent one. */
export function formatValue(value: Json | undefined): string {
  if (value === undefined) return '(unset)';
  return shortenDigests(JSON.stringify(value));
}

/** True for a string worth printing as a block of lines (a PEM bundle). */
export function isMultiline(value: Json | undefined): value is string {
  return typeof value === 'string' && value.includes('\n');
}

/** A message on one line: the ClusterOperator joins its members' messages with newlines (§6.2). */
export function flattenMessage(text: string): string {
  return shortenDigests(text.split(/\r?\n/).filter((line) => line.trim() !== '').join('; '));
}

/** A commit for one line of text: 12 hex digits of a Git SHA or of a local content digest. */
export function shortenCommit(commit: string): string {
  return commit.startsWith('sha256:') ? `sha256:${commit.slice(7, 19)}` : commit.slice(0, 12);
}
