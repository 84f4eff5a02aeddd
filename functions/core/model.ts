/**
 * The shared vocabulary of regops: JSON values, the fleet, the config repository, rendered desired
 * state, diagnostics, plans and reports. Pure types plus a few constants; every layer imports these.
 */

/** A JSON value as parsed from YAML or read from the Kubernetes API. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/** Where a value came from in the config repository. Lines and columns are 1-based. */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

export type Severity = 'error' | 'warning';

/** A validation finding: expected outcome, so a value (never thrown). */
export interface Diagnostic {
  /** Stable rule code, e.g. `schema.enum`, `registry.replicas-shared-storage`. */
  code: string;
  severity: Severity;
  file: string;
  line: number;
  col: number;
  message: string;
  /** What to do about it. */
  hint: string;
  cluster?: string;
  /** Dotted path of the field in the rendered object, e.g. `spec.storage.s3.bucket`. */
  path?: string;
}

export type Policy = 'inform' | 'enforce';

/** How regops reaches a cluster: a kubeconfig context locally, a Secrets Manager secret in AWS. */
export interface ClusterConnection {
  /** kubeconfig context name; defaults to the cluster name. */
  context?: string;
  /** Secrets Manager secret id holding `{server, caData, token, proxyUrl?}`. */
  secretId?: string;
}

export interface ClusterEntry {
  name: string;
  labels: Record<string, string>;
  connection: ClusterConnection;
}

export type LabelSelector = Record<string, string>;

export interface GroupEntry {
  name: string;
  selector: LabelSelector;
}

export interface WaveEntry {
  name: string;
  selector: LabelSelector;
  /** At most this many clusters of the wave at once. */
  maxConcurrency: number;
  /** The wave fails when more than this many clusters fail. */
  maxFailures: number;
  /** Wait after a successful wave before the next one starts. */
  bakeSeconds: number;
  /** `automatic`: a failed wave gives each cluster it changed its previous owned values back (engine/rollback-wave.ts). */
  rollback?: 'automatic' | 'none';
  /** `required`: the rollout stops before the wave until a person approves it (`regops rollout --approve WAVE`). */
  approval?: 'required';
  /** How long a Step Functions rollout waits for the approval (fleet.yaml approvalTimeout; default core/fleet.ts DEFAULT_APPROVAL_TIMEOUT_SECONDS). */
  approvalTimeoutSeconds?: number;
  /**
   * `different-from-pusher`: in AWS, whoever pushed the commit may not approve the wave (GitHub
   * environments' "prevent self-review"); locally the approver is the operator at the keyboard.
   */
  approvers?: 'different-from-pusher';
}

export interface PolicyEntry {
  /** Matches a cluster by name or a group by name; the most specific (cluster, then last group) wins. */
  cluster?: string;
  group?: string;
  policy: Policy;
}

/** fleet.yaml (kind Fleet, apiVersion regops/v1). */
export interface Fleet {
  apiVersion: 'regops/v1';
  kind: 'Fleet';
  clusters: ClusterEntry[];
  groups: GroupEntry[];
  waves: WaveEntry[];
  policies: PolicyEntry[];
  defaultPolicy: Policy;
  /** `spec.pullRequests.forks`: whether PRs from forks are planned (restricted) or not at all; default `ignore`. */
  pullRequests?: { forks: 'ignore' | 'plan' };
  /** `spec.storage.s3EndpointHosts`: when set, the only hosts a storage.yaml `s3.endpoint` may name (`*.suffix` allowed). */
  s3EndpointHosts?: string[];
  /** `spec.windows`: when waves may start and drift enforce may correct (change-windows.ts). */
  windows?: ChangeWindow[];
}

/** One change window as fleet.yaml declares it (fleet.ts reads and checks it; change-windows.ts evaluates it). */
export interface ChangeWindow {
  kind: 'allow' | 'deny';
  /** Five-field cron (minute hour day-of-month month day-of-week) or a macro like @daily. */
  schedule: string;
  durationMs: number;
  /** IANA time zone the schedule is read in (default UTC). */
  timeZone: string;
  /** Which waves, groups and clusters it applies to; an empty list does not restrict. */
  waves: string[];
  groups: string[];
  clusters: string[];
}

/** One file of the config repository, as read at one commit. */
export interface SourceFile {
  /** Path relative to the repository root, `/`-separated. */
  path: string;
  content: string;
}

/** The config repository at one commit: every file regops reads, by path. */
export interface ConfigSnapshot {
  /** Commit SHA, or `local` / a content digest for a working folder. */
  commit: string;
  files: SourceFile[];
}

/** A Kubernetes object reference. `namespace` is absent for cluster-scoped objects. */
export interface ResourceRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** Reference to a secret value held outside Git (never the value). */
export interface SecretReference {
  /** `secretsmanager` (AWS Secrets Manager), `ssm` (SSM SecureString), `file` (local file store). */
  source: 'secretsmanager' | 'ssm' | 'file';
  /** Secret id / parameter name / file key. */
  id: string;
  /** JSON key inside the secret value when it holds a JSON object. */
  key?: string;
}

/**
 * A Secret regops keeps whose values come from outside Git. `data` maps each key to the reference
 * of its value; the engine resolves references to digests (values stay in the secrets adapter).
 */
export interface DesiredSecret {
  ref: ResourceRef;
  data: Record<string, SecretReference>;
  origin: SourcePosition;
}

/** S3 bucket settings regops provisions (storage.yaml, kind RegistryStorage). */
export interface DesiredBucket {
  name: string;
  region: string;
  /** S3-compatible endpoint; absent for AWS. */
  endpoint?: string;
  encryption: { type: 'SSE-S3' } | { type: 'SSE-KMS'; kmsKeyId: string };
  /** Tags from Git plus regops' own (`regops.io/cluster`, `regops.io/managed-by`). */
  tags: Record<string, string>;
  /** storage.yaml `adopt: true`: regops may configure this bucket though it did not create it (no regops tags). */
  adopt?: boolean;
  origin: SourcePosition;
}

/**
 * One object regops owns on a cluster, as rendered from Git: the owned fields only (a partial
 * object). `positions` maps dotted field paths (`spec.storage.s3.bucket`) to where Git set them.
 */
export interface DesiredObject {
  ref: ResourceRef;
  /** The partial object: apiVersion, kind, metadata.name(/namespace) and the owned fields. */
  body: JsonObject;
  positions: Record<string, SourcePosition>;
}

/** Explicit permissions for destructive transitions, set in Git (`regops.io/allow` annotation). */
export type DestructiveAllowance = 'storage-change' | 'remove' | 'http-secret-rotation';

/** Everything regops wants on one cluster, rendered from base, groups and cluster overlays. */
export interface DesiredCluster {
  cluster: string;
  labels: Record<string, string>;
  /** Groups that matched, in fleet order. */
  groups: string[];
  policy: Policy;
  /** Kubernetes objects in apply order (namespaces/secrets/configmaps, image.config, Config, pruner). */
  objects: DesiredObject[];
  secrets: DesiredSecret[];
  bucket?: DesiredBucket;
  allow: DestructiveAllowance[];
  /**
   * Access mode of the PVC in spec.storage.pvc as declared in Git (annotation
   * `regops.io/pvc-access-mode` on registry.yaml); the Config itself does not say (docs/registry-operator-facts.md §3.8).
   */
  pvcAccessMode?: 'ReadWriteOnce' | 'ReadWriteMany';
}

/** Annotation on each owned object listing the dotted paths regops set (so it can prune them). */
export const OWNED_FIELDS_ANNOTATION = 'regops.io/owned-fields';
/** Annotation recording the commit regops applied last. */
export const APPLIED_COMMIT_ANNOTATION = 'regops.io/applied-commit';
export const API_VERSION = 'regops/v1';

export type PlanAction = 'create' | 'update' | 'prune' | 'unchanged' | 'skipped';

/** One field that differs. Secret values appear only as `sha256:` digests. */
export interface FieldChange {
  /** Dotted path, e.g. `spec.replicas`; map keys with dots are bracketed: `data["a.b"]`. */
  path: string;
  op: 'add' | 'change' | 'remove';
  /** Live value; absent when the field is absent. */
  before?: Json;
  /** Desired value; absent for a removal. */
  after?: Json;
  origin?: SourcePosition;
  /** Who last wrote the live value, from managedFields (find-field-writer.ts); absent when unknown or regops. */
  writer?: FieldWriter;
}

/** A field manager's write as the API server records it in managedFields. */
export interface FieldWriter {
  /** e.g. `kubectl-patch`, `cluster-image-registry-operator`. */
  manager: string;
  /** `Update` or `Apply`. */
  operation: string;
  /** RFC 3339 time of that manager's last write. */
  time?: string;
}

/** The kind of a plan step: a Kubernetes object, an S3 bucket, or a wait. */
export type PlanTarget =
  | { type: 'object'; ref: ResourceRef }
  | { type: 'bucket'; name: string; region: string }
  | { type: 'health-gate' };

export interface PlanEntry {
  target: PlanTarget;
  action: PlanAction;
  changes: FieldChange[];
  /** JSON merge patch (RFC 7386) carrying only the changed owned fields; secret data as digests. */
  patch?: JsonObject;
  /** The paths regops will own after this change (written into OWNED_FIELDS_ANNOTATION). */
  ownedFields?: string[];
  /** Live metadata.resourceVersion the patch was computed against (the precondition). */
  resourceVersion?: string;
  /** Why it is skipped, or a note (e.g. "bucket no longer wanted; regops never deletes buckets"). */
  reason?: string;
  /** Ordered step number within the cluster plan, from 1. */
  step: number;
}

export interface PlanSummary {
  create: number;
  update: number;
  prune: number;
  unchanged: number;
  skipped: number;
}

export interface ClusterPlan {
  cluster: string;
  entries: PlanEntry[];
  summary: PlanSummary;
  /** Plan-time diagnostics (e.g. required fields missing once merged with live, destructive changes). */
  diagnostics: Diagnostic[];
  /** Set when the cluster could not be planned (unreachable, …): the plan has no entries. */
  error?: ReportError;
  /** Whether the image pruner prunes registry storage once this plan is applied (describe-pruner-effect.ts). */
  pruner?: PrunerEffect;
}

/** The pruner's effect on the registry: `--prune-registry` follows images.config status.internalRegistryHostname. */
export interface PrunerEffect {
  prunesRegistry: boolean;
  /** Why, naming the field the answer follows; one line. */
  reason: string;
  /** Set when Git schedules a pruner whose registry is Removed (added within regops/v1): it will never free registry storage. */
  warning?: string;
}

/** An error as it appears in a report: code and message, never a secret. */
export interface ReportError {
  code: string;
  message: string;
  step?: string;
}

/** `regops plan -o json`: stable contract (apiVersion regops/v1). */
export interface PlanReport {
  apiVersion: 'regops/v1';
  kind: 'PlanReport';
  commit: string;
  generatedAt: string;
  clusters: ClusterPlan[];
  summary: PlanSummary & { clusters: number; clustersWithChanges: number; errors: number };
  /** Per wave, whether fleet.yaml's change windows let it start now (only when the fleet has windows). */
  windows?: WaveWindowState[];
}

/** A wave under the change windows at plan time (change-windows.ts). */
export interface WaveWindowState {
  wave: string;
  open: boolean;
  reason?: string;
  /** When the wave may start, when it is held now. */
  nextOpen?: string;
}

/** A status condition as read from the operator. */
export interface ConditionSummary {
  object: string;
  type: string;
  status: string;
  reason: string;
  message: string;
}

/**
 * `error`: the cluster was read but its plan has errors (e.g. a destructive storage change, a secret
 * that does not resolve), or reading it failed for a reason other than reaching it: Git cannot be
 * applied there as it stands, so it is never reported in sync.
 */
export type DriftState = 'in-sync' | 'drifted' | 'unreachable' | 'unmanaged' | 'degraded' | 'error';

export interface DriftedResource {
  target: PlanTarget;
  changes: FieldChange[];
}

export interface ClusterDrift {
  cluster: string;
  labels: Record<string, string>;
  wave?: string;
  policy: Policy;
  state: DriftState;
  resources: DriftedResource[];
  conditions: ConditionSummary[];
  /** Commit recorded in APPLIED_COMMIT_ANNOTATION on the live Config, if any. */
  appliedCommit?: string;
  /** Set when policy enforce corrected the drift: the outcome of that apply. */
  corrected?: { outcome: 'succeeded' | 'failed'; error?: ReportError };
  error?: ReportError;
  /** Whether the image pruner prunes registry storage with Git applied, from what the scan read (added within regops/v1). */
  pruner?: PrunerEffect;
}

/** `regops drift -o json`: stable contract. */
export interface DriftReport {
  apiVersion: 'regops/v1';
  kind: 'DriftReport';
  commit: string;
  generatedAt: string;
  durationMs: number;
  clusters: ClusterDrift[];
  /** One count per state; `error` came after regops/v1 was published, so it is optional (regops always writes it). */
  summary: Record<Exclude<DriftState, 'error'>, number> & { error?: number; clusters: number; driftedFields: number; corrected: number };
}

export type ClusterRolloutOutcome = 'succeeded' | 'unchanged' | 'failed' | 'skipped' | 'not-started';

/** Steps a cluster goes through during apply; the report names the one that failed. */
export type ReconcileStep =
  | 'connect'
  | 'plan'
  | 'provision-bucket'
  | 'write-secret'
  | 'dry-run'
  | 'apply'
  | 'health-gate';

export interface ClusterRollout {
  cluster: string;
  outcome: ClusterRolloutOutcome;
  step?: ReconcileStep;
  error?: ReportError;
  changes: PlanSummary;
  conditions: ConditionSummary[];
  startedAt?: string;
  finishedAt?: string;
  /**
   * Set when the health gate passed for this cluster, also when nothing was left to write (a rerun
   * after a crash, a retried step): how long it waited for the operator.
   */
  healthGate?: { waitedMs: number };
  /**
   * Changes another writer made while regops was applying (seen on a 409 Conflict or after the
   * operator's write race): regops re-read and re-planned, and reports them so none is lost silently.
   */
  outsideChanges?: OutsideChange[];
  /** Set when the wave failed with `rollback: automatic` and this cluster was restored (or the restore failed). */
  rolledBack?: { commit: string; outcome: 'succeeded' | 'failed'; error?: ReportError };
}

/** A change someone else made to an object between regops' read and its write. */
export interface OutsideChange {
  resource: string;
  changes: FieldChange[];
}

export interface WaveRollout {
  name: string;
  status: 'succeeded' | 'failed' | 'skipped' | 'not-started';
  maxConcurrency: number;
  maxFailures: number;
  clusters: ClusterRollout[];
  /** Who approved a wave with `approval: required`, and when (added within regops/v1). */
  approvedBy?: { by: string; at: string };
  /** Why the wave did not start: the rollout stopped before it (added within regops/v1; report/describe-wave-gate.ts words it). */
  held?: WaveHold;
}

/** What held a wave before it started. */
export type WaveHold =
  /** `approval: required` and this run has no approval for it (the CLI stops; `regops rollout --approve WAVE`). */
  | { kind: 'approval-required' }
  /** Nobody approved it within its approvalTimeout: the Step Functions rollout stopped waiting (`detail`: the state machine's cause). */
  | { kind: 'approval-expired'; detail: string }
  /** fleet.yaml's change windows (change-windows.ts): why, and when it may start (absent when no allow window opens again). */
  | { kind: 'window'; reason: string; nextOpen?: string };

/** `regops rollout -o json`: stable contract. */
export interface RolloutReport {
  apiVersion: 'regops/v1';
  kind: 'RolloutReport';
  commit: string;
  generatedAt: string;
  durationMs: number;
  status: 'succeeded' | 'failed';
  /** Where and why the rollout stopped. */
  halted?: { wave: string; reason: string };
  waves: WaveRollout[];
}

export type Report = PlanReport | DriftReport | RolloutReport;

/** The wave plan: plain data computed by core, run by the CLI and by Step Functions alike. */
export interface WavePlan {
  waves: Array<{
    name: string;
    maxConcurrency: number;
    maxFailures: number;
    bakeSeconds: number;
    /** Present when the wave restores the clusters it changed if it fails. */
    rollback?: 'automatic';
    /** Present when a person must approve the wave before it starts. */
    approval?: 'required';
    /** Present when, in AWS, the person who pushed the commit may not approve the wave. */
    approvers?: 'different-from-pusher';
    clusters: string[];
  }>;
  /** Selected clusters no wave matches: they are not rolled out (reported as skipped). */
  unassigned: string[];
}
