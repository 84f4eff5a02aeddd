import type { ClusterRolloutOutcome, DriftState } from '../../model.ts';

/** The state a cluster cell shows: its drift state on a drift page, its outcome on a rollout page. */
export type PageState = DriftState | ClusterRolloutOutcome;

/** How a state reads on the page: a word and an icon, so colour is never the only signal (WCAG 1.4.1). */
export interface PageStateInfo {
  label: string;
  icon: string;
}

/** Drift states in the order the counts bar shows them. */
export const DRIFT_PAGE_STATES: readonly DriftState[] = ['in-sync', 'drifted', 'degraded', 'error', 'unreachable', 'unmanaged'];

/** Rollout outcomes in the order the counts bar shows them. */
export const ROLLOUT_PAGE_STATES: readonly ClusterRolloutOutcome[] = ['failed', 'succeeded', 'unchanged', 'skipped', 'not-started'];

/** Label and icon of every page state; colours live in the stylesheet (`.s-<state>`). */
export const PAGE_STATE_INFO: Readonly<Record<PageState, PageStateInfo>> = {
  'in-sync': { label: 'In sync', icon: '\u2713' },
  drifted: { label: 'Drifted', icon: '\u2260' },
  degraded: { label: 'Degraded', icon: '!' },
  unreachable: { label: 'Unreachable', icon: '\u2715' },
  unmanaged: { label: 'Unmanaged', icon: '\u2205' },
  error: { label: 'Plan error', icon: '\u26a0' },
  failed: { label: 'Failed', icon: '\u2715' },
  succeeded: { label: 'Succeeded', icon: '\u2713' },
  unchanged: { label: 'Unchanged', icon: '=' },
  skipped: { label: 'Skipped', icon: '\u00bb' },
  'not-started': { label: 'Not started', icon: '\u2026' },
};
