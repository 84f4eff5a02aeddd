/**
 * Ports: the I/O the engine needs, named by role, kept beside the engine that owns them. Adapters
 * (functions/adapters/: kubernetes/, github/, local-fs/, s3/, secrets/) implement them; the engine
 * sees only these types. Adapters turn wire
 * errors into regops errors (adapters/errors.ts) and decide no policy (no retries, no waiting).
 */
import type {
  ClusterEntry,
  ConfigSnapshot,
  JsonObject,
  ResourceRef,
  SecretReference,
} from '../core/model.ts';

/**
 * A secret value held by the secrets adapter. Everything outside the adapters sees only the
 * digest (`sha256:<hex>` of the value); JSON.stringify and String() of it print the digest.
 */
export interface SecretValue {
  readonly digest: string;
}

/** Reads the config repository at one commit (local folder or GitHub, one interface). */
export interface ConfigSource {
  /** `ref`: a commit SHA or branch for GitHub; ignored by the local folder (uses the working tree). */
  load(ref?: string): Promise<ConfigSnapshot>;
}

export interface WriteOptions {
  /** Server-side dry run (`dryRun=All`): validated and defaulted, never persisted. */
  dryRun?: boolean;
  /** Values for `sha256:` digests found in a Secret's `data`/`stringData`: substituted at the edge. */
  secretValues?: ReadonlyMap<string, SecretValue>;
}

/**
 * One cluster's Kubernetes API. Objects come back as plain JSON; a Secret's `data` values come back
 * as `sha256:<hex>` digests of the decoded value, never the value.
 */
export interface ClusterClient {
  readonly cluster: string;
  /** The object, or undefined when it does not exist (404). */
  get(ref: ResourceRef): Promise<JsonObject | undefined>;
  create(ref: ResourceRef, body: JsonObject, options?: WriteOptions): Promise<JsonObject>;
  /**
   * JSON merge patch (RFC 7386, `application/merge-patch+json`), sent as given: a metadata.resourceVersion
   * in it is the precondition, a stale one fails with `cluster.conflict`.
   */
  patch(ref: ResourceRef, patch: JsonObject, options?: WriteOptions): Promise<JsonObject>;
  /** Count of HTTP requests made so far (reads and writes), for tests and benchmarks. */
  readonly requestCount: { reads: number; writes: number };
}

/** Opens a client per cluster: a kubeconfig context locally, a Secrets Manager secret in AWS. */
export interface ClusterConnector {
  connect(cluster: ClusterEntry): Promise<ClusterClient>;
}

/** Resolves a secret reference; only the secrets adapter ever holds the value. */
export interface SecretSource {
  resolve(ref: SecretReference): Promise<SecretValue>;
}

/** The settings regops keeps on a bucket, in a comparable JSON shape (see core/bucket-state.ts). */
export interface BucketLocation {
  name: string;
  region: string;
  endpoint?: string;
}

/** S3 (or S3-compatible) bucket provisioning. Never deletes. */
export interface BucketStore {
  /** Current settings as a JSON document in the shape of core's desired bucket state; undefined if absent. */
  inspect(location: BucketLocation): Promise<JsonObject | undefined>;
  /** Create the bucket if absent, then write each top-level setting present in `settings`. */
  configure(location: BucketLocation, settings: JsonObject, create: boolean): Promise<void>;
}

/** Where reports go: a folder locally, the reports bucket in AWS. */
export interface ReportStore {
  put(key: string, body: string, contentType: string): Promise<void>;
  get(key: string): Promise<string | undefined>;
  /** Keys under a prefix, sorted ascending. */
  list(prefix: string): Promise<string[]>;
}

/** A small state object and its version tag (the S3 ETag; a content digest in a local folder). */
export interface StateObject {
  body: string;
  etag: string;
}

/** The precondition of a compare-and-swap write: create only, or replace only this version. */
export type StateWriteCondition = { ifNoneMatch: '*' } | { ifMatch: string };

/**
 * Small JSON state objects with compare-and-swap writes (S3 conditional writes; a lock-guarded
 * folder locally): the fleet lease and the release record live here. A write whose condition does
 * not hold fails with StorageError `state.precondition-failed`; the engine decides what that means.
 */
export interface StateStore {
  /** The object, or undefined when the key does not exist. */
  read(key: string): Promise<StateObject | undefined>;
  /** Writes `body`; answers the new etag. Without a condition the write is unconditional. */
  write(key: string, body: string, condition?: StateWriteCondition): Promise<string>;
  /** Where `key` lives (`s3://bucket/state/leases/fleet.json`, a file path), for messages. */
  locate(key: string): string;
}

/** Time, injected so the engine can be tested without waiting. */
export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1) for jitter. */
  random(): number;
}

/**
 * A progress event from the engine; the CLI draws lines, Lambda logs them as JSON. `progressing` is
 * the health gate's word (the operator is rolling out); a finished plan says `planned` or `in-sync`,
 * a finished drift scan its DriftState (`in-sync`, `drifted`, `unreachable`, `unmanaged`, `degraded`),
 * and `verifying` is the re-plan after an apply that checks owned fields are still as applied.
 */
export interface ProgressEvent {
  cluster: string;
  phase:
    | 'waiting' | 'connecting' | 'planning' | 'provisioning' | 'dry-run' | 'applying' | 'progressing' | 'healthy' | 'unchanged' | 'failed' | 'skipped' | 'retrying'
    | 'planned' | 'verifying' | 'in-sync' | 'drifted' | 'unreachable' | 'unmanaged' | 'degraded';
  message?: string;
  wave?: string;
}

export interface ProgressSink {
  emit(event: ProgressEvent): void;
}

/** A commit status (the small dot on a commit), one per `context`. */
export interface CommitStatus {
  state: 'pending' | 'success' | 'failure' | 'error';
  /** e.g. `regops/rollout`, `regops/drift`. */
  context: string;
  /** GitHub keeps the first 140 characters. */
  description: string;
  targetUrl?: string;
}

/** A line-level finding on a check run (FILE:LINE in the PR's "Files changed"). */
export interface CheckAnnotation {
  path: string;
  startLine: number;
  endLine: number;
  level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
}

/** A completed check run on a commit, created or updated in place by name. */
export interface CheckRunReport {
  name: string;
  conclusion: 'success' | 'failure' | 'neutral' | 'action_required';
  title: string;
  /** Markdown, at most 65,535 characters. */
  summary: string;
  text?: string;
  annotations?: CheckAnnotation[];
}

/** An open issue regops tracks, found by the hidden marker in its body. */
export interface TrackedIssue {
  number: number;
  title: string;
  body: string;
}

/** Where results go on the forge (GitHub): statuses, check runs, PR comments, issues. No policy. */
export interface CommitPublisher {
  setCommitStatus(sha: string, status: CommitStatus): Promise<void>;
  /** Creates the check run named `run.name` on `sha`, or updates it when it exists. */
  upsertCheckRun(sha: string, run: CheckRunReport): Promise<void>;
  /** Updates the PR comment containing `marker` (a hidden HTML comment), or creates it. */
  upsertPullRequestComment(pullRequest: number, marker: string, body: string): Promise<void>;
  /** Open issues carrying `label`. */
  listOpenIssues(label: string): Promise<TrackedIssue[]>;
  openIssue(title: string, body: string, labels: string[]): Promise<number>;
  updateIssue(issue: number, title: string, body: string): Promise<void>;
  /**
   * Comments `comment` on the issue, then closes it. With `marker` (a hidden HTML comment that
   * `comment` contains), the comment is left out when the issue has one with that marker already:
   * a retried publish step does not say it twice.
   */
  closeIssue(issue: number, comment: string, marker?: string): Promise<void>;
}

/** GitHub's side of an approval gate (engine/steps/approval-request-step.ts, approval-grant-step.ts). */
export interface ApprovalChecks {
  /**
   * Creates the check run `name` on `sha` (or resets the one of that name: a retried request) in
   * progress, with one requested action (the button); answers its id.
   */
  requestApproval(sha: string, request: { name: string; title: string; summary: string; action: { identifier: string; label: string; description: string } }): Promise<number>;
  /** Completes the check run: the button goes, the conclusion and text say what happened. */
  finishApproval(checkRunId: number, result: { conclusion: 'success' | 'neutral' | 'timed_out'; title: string; summary: string }): Promise<void>;
  /** Shows why a press did nothing (the run stays in progress, the button stays). */
  noteApproval(checkRunId: number, note: { title: string; summary: string }): Promise<void>;
  /** `login`'s permission on the repository (GET /repos/{o}/{r}/collaborators/{login}/permission); `none` when not a collaborator. */
  readPermission(login: string): Promise<'admin' | 'write' | 'read' | 'none'>;
}

/** Answers a Step Functions task waiting for a task token (states:SendTaskSuccess). */
export interface TaskTokens {
  /** `sent`; `expired` when the task is gone (timed out, already answered, execution ended) or the token is not one. */
  succeed(token: SecretValue, output: JsonObject): Promise<'sent' | 'expired'>;
}

/** One approval gate of one rollout: the run store's runs/rollout/<commit>/approvals/<wave>.json. */
export interface ApprovalRecord {
  commit: string;
  wave: string;
  /** The check run carrying the button: a press on any other check run approves nothing. */
  checkRunId: number;
  requestedAt: string;
  /** When the state machine stops waiting (the Task's TimeoutSeconds from requestedAt). */
  expiresAt: string;
  /** The waiting Task's token (a credential: only the adapter reveals it); gone once approved. */
  token?: SecretValue;
  approvedBy?: { by: string; at: string };
  /** The rollout stopped waiting (approvalTimeout): a press now starts nothing. */
  expired?: true;
  /**
   * fleet.yaml `approvers: different-from-pusher`: `pushedBy` (the push's sender, from the execution
   * input; absent when the execution was not started by a push) may not approve this wave.
   */
  separation?: { pushedBy?: string };
}

/** Where approval gates are kept between the request (a workflow step) and the press (the webhook). */
export interface ApprovalRecords {
  get(commit: string, wave: string): Promise<ApprovalRecord | undefined>;
  put(record: ApprovalRecord): Promise<void>;
}
