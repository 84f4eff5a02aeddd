/**
 * What stood between a wave and its start, in one wording for every place that says it: the halt
 * reason core/build-rollout-report.ts writes, the text and Markdown rollout reports and the page's
 * wave table (issue 13: approvals and change windows). Times read as the page reads them (UTC, to
 * the minute: approvals are pressed by people, windows open on cron minutes).
 */
import type { WaveHold, WaveRollout } from '../model.ts';
import { formatUtc } from './html/format-time.ts';

/** Why a held wave did not start, and what lets it: the reason of a rollout halted before it. */
export function describeWaveHold(wave: string, hold: WaveHold): string {
  switch (hold.kind) {
    case 'approval-required':
      return `wave ${wave} needs approval (approval: required); after review run: regops rollout --approve ${wave} --from-wave ${wave}`;
    case 'approval-expired':
      return `approval timed out, the rollout stopped waiting: ${hold.detail}`;
    case 'window':
      return `held by a change window: ${hold.reason}${hold.nextOpen === undefined ? '; no allow window opens again' : `; the wave may start at ${formatUtc(hold.nextOpen)}`}`;
  }
}

/**
 * `approved by alice at 2026-11-25 12:10 UTC`, the hold of a held wave, both for a wave approved and
 * then held by its change window (`approved by alice at …, then held by a change window: …`), or
 * undefined when nothing gated it.
 */
export function describeWaveGate(wave: WaveRollout): string | undefined {
  const approved = wave.approvedBy === undefined ? undefined : `approved by ${wave.approvedBy.by} at ${formatUtc(wave.approvedBy.at)}`;
  if (wave.held === undefined) return approved;
  const hold = describeWaveHold(wave.name, wave.held);
  return approved === undefined ? hold : `${approved}, then ${hold}`;
}
