/**
 * Routes for the GitHub stand-in (test/support/github-stand-in.ts, via its `route()`): commit
 * statuses, check runs, issues, issue/PR comments and pull-request files, kept in memory and
 * answered in the shapes of GitHub's REST reference (only the fields regops and octokit read, plus
 * ids and urls). `state` is exposed so tests assert on what GitHub would now show.
 */
import type { GitHubStandIn, RouteRequest, RouteResponse } from '../github-stand-in.ts';

export interface StoredStatus { id: number; sha: string; state: string; context: string; description: string; target_url: string | null }
export interface StoredCheckRun { id: number; head_sha: string; name: string; status: string; conclusion: string | null; output: { title: string | null; summary: string | null; text: string | null; annotations: unknown[] } }
export interface StoredIssue { id: number; number: number; title: string; body: string; state: 'open' | 'closed'; state_reason: string | null; labels: string[]; pull_request?: { url: string } }
export interface StoredComment { id: number; issue: number; body: string }

export interface ReviewState {
  statuses: StoredStatus[];
  checkRuns: StoredCheckRun[];
  issues: StoredIssue[];
  comments: StoredComment[];
  /** Files a pull request changes, by PR number (set by the test). */
  pullFiles: Map<number, Array<{ filename: string; status: string }>>;
}

const notFound: RouteResponse = { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };

function asObject(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

function invalid(message: string): RouteResponse {
  return { status: 422, body: { message: 'Validation Failed', errors: [{ message }], documentation_url: 'https://docs.github.com/rest' } };
}

/** Empties the state (between tests; the routes stay installed: install once per stand-in). */
export function resetReviewState(state: ReviewState): void {
  state.statuses.length = 0;
  state.checkRuns.length = 0;
  state.issues.length = 0;
  state.comments.length = 0;
  state.pullFiles.clear();
}

/** Installs the routes on `standIn` (once: the first installed route answers); returns the state they keep. */
export function installReviewRoutes(standIn: GitHubStandIn): ReviewState {
  const state: ReviewState = { statuses: [], checkRuns: [], issues: [], comments: [], pullFiles: new Map() };
  let nextId = 1000;
  const user = { login: 'regops[bot]', id: 1, type: 'Bot' };
  const repoUrl = (m: RegExpMatchArray): string => `${standIn.url}/repos/${m[1]}/${m[2]}`;
  const issueJson = (m: RegExpMatchArray, issue: StoredIssue): Record<string, unknown> => ({
    id: issue.id, number: issue.number, title: issue.title, body: issue.body, state: issue.state, state_reason: issue.state_reason,
    labels: issue.labels.map((name) => ({ name })), user, url: `${repoUrl(m)}/issues/${issue.number}`, html_url: `https://github.com/${m[1]}/${m[2]}/issues/${issue.number}`,
    ...(issue.pull_request === undefined ? {} : { pull_request: issue.pull_request }),
  });
  const commentJson = (m: RegExpMatchArray, c: StoredComment): Record<string, unknown> => ({
    id: c.id, body: c.body, user, url: `${repoUrl(m)}/issues/comments/${c.id}`, issue_url: `${repoUrl(m)}/issues/${c.issue}`,
  });
  const checkRunJson = (m: RegExpMatchArray, run: StoredCheckRun): Record<string, unknown> => ({
    id: run.id, head_sha: run.head_sha, name: run.name, status: run.status, conclusion: run.conclusion,
    output: { title: run.output.title, summary: run.output.summary, text: run.output.text, annotations_count: run.output.annotations.length },
    url: `${repoUrl(m)}/check-runs/${run.id}`, html_url: `https://github.com/${m[1]}/${m[2]}/runs/${run.id}`,
  });
  const on = (method: string, pattern: RegExp, handler: (req: RouteRequest) => RouteResponse): void => standIn.route(method, pattern, handler);
  const repo = '^/repos/([^/]+)/([^/]+)';

  // Statuses: POST /repos/{owner}/{repo}/statuses/{sha}, GET /repos/{owner}/{repo}/commits/{ref}/statuses
  on('POST', new RegExp(`${repo}/statuses/([0-9a-f]{40})$`), (req) => {
    const body = asObject(req.body);
    if (!['error', 'failure', 'pending', 'success'].includes(String(body['state']))) return invalid('state is not one of error, failure, pending, success');
    const status: StoredStatus = { id: nextId++, sha: req.match[3] ?? '', state: String(body['state']), context: String(body['context'] ?? 'default'), description: String(body['description'] ?? ''), target_url: typeof body['target_url'] === 'string' ? body['target_url'] : null };
    state.statuses.push(status);
    return { status: 201, body: { ...status, url: `${repoUrl(req.match)}/statuses/${status.sha}`, creator: user } };
  });
  on('GET', new RegExp(`${repo}/commits/([^/]+)/statuses$`), (req) => ({ status: 200, body: state.statuses.filter((s) => s.sha === req.match[3]).reverse() }));

  // Check runs: POST /repos/{o}/{r}/check-runs, PATCH /repos/{o}/{r}/check-runs/{id}, GET /repos/{o}/{r}/commits/{ref}/check-runs
  on('POST', new RegExp(`${repo}/check-runs$`), (req) => {
    const body = asObject(req.body);
    if (typeof body['name'] !== 'string' || typeof body['head_sha'] !== 'string') return invalid('name and head_sha are required');
    const output = asObject(body['output']);
    const annotations = Array.isArray(output['annotations']) ? output['annotations'] : [];
    if (annotations.length > 50) return invalid('at most 50 annotations per request');
    const run: StoredCheckRun = { id: nextId++, head_sha: body['head_sha'], name: body['name'], status: String(body['status'] ?? 'queued'), conclusion: typeof body['conclusion'] === 'string' ? body['conclusion'] : null, output: { title: typeof output['title'] === 'string' ? output['title'] : null, summary: typeof output['summary'] === 'string' ? output['summary'] : null, text: typeof output['text'] === 'string' ? output['text'] : null, annotations } };
    state.checkRuns.push(run);
    return { status: 201, body: checkRunJson(req.match, run) };
  });
  on('PATCH', new RegExp(`${repo}/check-runs/(\\d+)$`), (req) => {
    const run = state.checkRuns.find((r) => r.id === Number(req.match[3]));
    if (run === undefined) return notFound;
    const body = asObject(req.body);
    if (typeof body['status'] === 'string') run.status = body['status'];
    if (typeof body['conclusion'] === 'string') run.conclusion = body['conclusion'];
    if (body['output'] !== undefined) {
      const output = asObject(body['output']);
      const annotations = Array.isArray(output['annotations']) ? output['annotations'] : [];
      if (annotations.length > 50) return invalid('at most 50 annotations per request');
      // GitHub appends annotations on update; title/summary/text are replaced
      run.output = { title: typeof output['title'] === 'string' ? output['title'] : run.output.title, summary: typeof output['summary'] === 'string' ? output['summary'] : run.output.summary, text: typeof output['text'] === 'string' ? output['text'] : run.output.text, annotations: [...run.output.annotations, ...annotations] };
    }
    return { status: 200, body: checkRunJson(req.match, run) };
  });
  on('GET', new RegExp(`${repo}/commits/([^/]+)/check-runs$`), (req) => {
    const runs = state.checkRuns.filter((r) => r.head_sha === req.match[3] && (req.query['check_name'] === undefined || r.name === req.query['check_name']));
    return { status: 200, body: { total_count: runs.length, check_runs: runs.map((r) => checkRunJson(req.match, r)) } };
  });

  // Issues: GET/POST /repos/{o}/{r}/issues, PATCH /repos/{o}/{r}/issues/{n}
  on('GET', new RegExp(`${repo}/issues$`), (req) => {
    const wanted = req.query['state'] ?? 'open';
    const labels = (req.query['labels'] ?? '').split(',').filter((l) => l !== '');
    const issues = state.issues.filter((i) => (wanted === 'all' || i.state === wanted) && labels.every((l) => i.labels.includes(l)));
    return { status: 200, body: issues.map((i) => issueJson(req.match, i)) };
  });
  on('POST', new RegExp(`${repo}/issues$`), (req) => {
    const body = asObject(req.body);
    if (typeof body['title'] !== 'string' || body['title'] === '') return invalid('title is required');
    const issue: StoredIssue = { id: nextId++, number: state.issues.length + 1, title: body['title'], body: String(body['body'] ?? ''), state: 'open', state_reason: null, labels: Array.isArray(body['labels']) ? body['labels'].map(String) : [] };
    state.issues.push(issue);
    return { status: 201, body: issueJson(req.match, issue) };
  });
  on('PATCH', new RegExp(`${repo}/issues/(\\d+)$`), (req) => {
    const issue = state.issues.find((i) => i.number === Number(req.match[3]));
    if (issue === undefined) return notFound;
    const body = asObject(req.body);
    if (typeof body['title'] === 'string') issue.title = body['title'];
    if (typeof body['body'] === 'string') issue.body = body['body'];
    if (body['state'] === 'open' || body['state'] === 'closed') issue.state = body['state'];
    if (typeof body['state_reason'] === 'string') issue.state_reason = body['state_reason'];
    return { status: 200, body: issueJson(req.match, issue) };
  });

  // Comments: GET/POST /repos/{o}/{r}/issues/{n}/comments, PATCH /repos/{o}/{r}/issues/comments/{id}
  on('GET', new RegExp(`${repo}/issues/(\\d+)/comments$`), (req) => ({ status: 200, body: state.comments.filter((c) => c.issue === Number(req.match[3])).map((c) => commentJson(req.match, c)) }));
  on('POST', new RegExp(`${repo}/issues/(\\d+)/comments$`), (req) => {
    const body = asObject(req.body);
    if (typeof body['body'] !== 'string' || body['body'] === '') return invalid('body is required');
    const comment: StoredComment = { id: nextId++, issue: Number(req.match[3]), body: body['body'] };
    state.comments.push(comment);
    return { status: 201, body: commentJson(req.match, comment) };
  });
  on('PATCH', new RegExp(`${repo}/issues/comments/(\\d+)$`), (req) => {
    const comment = state.comments.find((c) => c.id === Number(req.match[3]));
    if (comment === undefined) return notFound;
    const body = asObject(req.body);
    if (typeof body['body'] === 'string') comment.body = body['body'];
    return { status: 200, body: commentJson(req.match, comment) };
  });

  // Pull request files: GET /repos/{o}/{r}/pulls/{n}/files
  on('GET', new RegExp(`${repo}/pulls/(\\d+)/files$`), (req) => {
    const files = state.pullFiles.get(Number(req.match[3]));
    return files === undefined ? notFound : { status: 200, body: files.map((f) => ({ sha: '0'.repeat(40), filename: f.filename, status: f.status, additions: 0, deletions: 0, changes: 0 })) };
  });
  return state;
}
