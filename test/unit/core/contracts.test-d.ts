/**
 * Pins the regops/v1 JSON contracts (functions/core/report/README.md): other tools read these
 * reports, so a field renamed, removed or retyped must fail here. Adding an optional field is fine.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type {
  ClusterDrift, ClusterPlan, ClusterRollout, Diagnostic, DriftReport, FieldChange, Json, JsonObject, PlanEntry, PlanReport, PlanSummary,
  PlanTarget, ReportError, RolloutReport, SourcePosition, WaveRollout,
} from '../../../functions/core/model.ts';

describe('regops/v1 PlanReport', () => {
  it('top level', () => {
    expectTypeOf<PlanReport['apiVersion']>().toEqualTypeOf<'regops/v1'>();
    expectTypeOf<PlanReport['kind']>().toEqualTypeOf<'PlanReport'>();
    expectTypeOf<PlanReport['commit']>().toEqualTypeOf<string>();
    expectTypeOf<PlanReport['generatedAt']>().toEqualTypeOf<string>();
    expectTypeOf<PlanReport['clusters']>().toEqualTypeOf<ClusterPlan[]>();
    expectTypeOf<PlanReport['summary']>().toEqualTypeOf<PlanSummary & { clusters: number; clustersWithChanges: number; errors: number }>();
  });
  it('cluster plans and entries', () => {
    expectTypeOf<ClusterPlan['cluster']>().toEqualTypeOf<string>();
    expectTypeOf<ClusterPlan['entries']>().toEqualTypeOf<PlanEntry[]>();
    expectTypeOf<ClusterPlan['summary']>().toEqualTypeOf<PlanSummary>();
    expectTypeOf<ClusterPlan['diagnostics']>().toEqualTypeOf<Diagnostic[]>();
    expectTypeOf<ClusterPlan['error']>().toEqualTypeOf<ReportError | undefined>();
    expectTypeOf<PlanSummary>().toEqualTypeOf<{ create: number; update: number; prune: number; unchanged: number; skipped: number }>();
    expectTypeOf<PlanEntry['action']>().toEqualTypeOf<'create' | 'update' | 'prune' | 'unchanged' | 'skipped'>();
    expectTypeOf<PlanEntry['step']>().toEqualTypeOf<number>();
    expectTypeOf<PlanEntry['target']>().toEqualTypeOf<PlanTarget>();
    expectTypeOf<PlanEntry['changes']>().toEqualTypeOf<FieldChange[]>();
    expectTypeOf<PlanEntry['patch']>().toEqualTypeOf<JsonObject | undefined>();
    expectTypeOf<PlanEntry['ownedFields']>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<PlanEntry['resourceVersion']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<PlanEntry['reason']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Extract<PlanTarget, { type: 'bucket' }>>().toEqualTypeOf<{ type: 'bucket'; name: string; region: string }>();
    expectTypeOf<Extract<PlanTarget, { type: 'health-gate' }>>().toEqualTypeOf<{ type: 'health-gate' }>();
    expectTypeOf<Extract<PlanTarget, { type: 'object' }>['ref']>().toEqualTypeOf<{ apiVersion: string; kind: string; name: string; namespace?: string }>();
  });
  it('field changes and diagnostics', () => {
    expectTypeOf<FieldChange['path']>().toEqualTypeOf<string>();
    expectTypeOf<FieldChange['op']>().toEqualTypeOf<'add' | 'change' | 'remove'>();
    expectTypeOf<FieldChange['before']>().toEqualTypeOf<Json | undefined>();
    expectTypeOf<FieldChange['after']>().toEqualTypeOf<Json | undefined>();
    expectTypeOf<FieldChange['origin']>().toEqualTypeOf<SourcePosition | undefined>();
    expectTypeOf<Diagnostic>().toEqualTypeOf<{ code: string; severity: 'error' | 'warning'; file: string; line: number; col: number; message: string; hint: string; cluster?: string; path?: string }>();
    expectTypeOf<ReportError>().toEqualTypeOf<{ code: string; message: string; step?: string }>();
  });
});

describe('regops/v1 DriftReport', () => {
  it('top level and clusters', () => {
    expectTypeOf<DriftReport['apiVersion']>().toEqualTypeOf<'regops/v1'>();
    expectTypeOf<DriftReport['kind']>().toEqualTypeOf<'DriftReport'>();
    expectTypeOf<DriftReport['durationMs']>().toEqualTypeOf<number>();
    expectTypeOf<DriftReport['clusters']>().toEqualTypeOf<ClusterDrift[]>();
    expectTypeOf<ClusterDrift['state']>().toEqualTypeOf<'in-sync' | 'drifted' | 'unreachable' | 'unmanaged' | 'degraded' | 'error'>();
    expectTypeOf<ClusterDrift['policy']>().toEqualTypeOf<'inform' | 'enforce'>();
    expectTypeOf<ClusterDrift['resources'][number]>().toEqualTypeOf<{ target: PlanTarget; changes: FieldChange[] }>();
    expectTypeOf<ClusterDrift['corrected']>().toEqualTypeOf<{ outcome: 'succeeded' | 'failed'; error?: ReportError } | undefined>();
    expectTypeOf<ClusterDrift['appliedCommit']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ClusterDrift['pruner']>().toEqualTypeOf<{ prunesRegistry: boolean; reason: string; warning?: string } | undefined>();
    // `error` was added within regops/v1, hence optional (README "The JSON contract")
    expectTypeOf<DriftReport['summary']>().toEqualTypeOf<Record<'in-sync' | 'drifted' | 'unreachable' | 'unmanaged' | 'degraded', number> & { error?: number; clusters: number; driftedFields: number; corrected: number }>();
  });
});

describe('regops/v1 RolloutReport', () => {
  it('top level, waves and clusters', () => {
    expectTypeOf<RolloutReport['apiVersion']>().toEqualTypeOf<'regops/v1'>();
    expectTypeOf<RolloutReport['kind']>().toEqualTypeOf<'RolloutReport'>();
    expectTypeOf<RolloutReport['status']>().toEqualTypeOf<'succeeded' | 'failed'>();
    expectTypeOf<RolloutReport['halted']>().toEqualTypeOf<{ wave: string; reason: string } | undefined>();
    expectTypeOf<RolloutReport['waves']>().toEqualTypeOf<WaveRollout[]>();
    expectTypeOf<WaveRollout['status']>().toEqualTypeOf<'succeeded' | 'failed' | 'skipped' | 'not-started'>();
    expectTypeOf<WaveRollout['held']>().toEqualTypeOf<
      { kind: 'approval-required' } | { kind: 'approval-expired'; detail: string } | { kind: 'window'; reason: string; nextOpen?: string } | undefined
    >();
    expectTypeOf<WaveRollout['name']>().toEqualTypeOf<string>();
    expectTypeOf<WaveRollout['maxConcurrency']>().toEqualTypeOf<number>();
    expectTypeOf<WaveRollout['maxFailures']>().toEqualTypeOf<number>();
    expectTypeOf<WaveRollout['clusters']>().toEqualTypeOf<ClusterRollout[]>();
    expectTypeOf<ClusterRollout['cluster']>().toEqualTypeOf<string>();
    expectTypeOf<ClusterRollout['error']>().toEqualTypeOf<ReportError | undefined>();
    expectTypeOf<ClusterRollout['outcome']>().toEqualTypeOf<'succeeded' | 'unchanged' | 'failed' | 'skipped' | 'not-started'>();
    expectTypeOf<ClusterRollout['step']>().toEqualTypeOf<'connect' | 'plan' | 'provision-bucket' | 'write-secret' | 'dry-run' | 'apply' | 'health-gate' | undefined>();
    expectTypeOf<ClusterRollout['changes']>().toEqualTypeOf<PlanSummary>();
    expectTypeOf<ClusterRollout['healthGate']>().toEqualTypeOf<{ waitedMs: number } | undefined>();
  });
});
