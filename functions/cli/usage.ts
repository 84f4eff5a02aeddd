/** The usage text `regops --help` prints. */
export const usage = `regops: keep the OpenShift image registry of every cluster the way Git says

Usage:
  regops validate [source] [-o text|json]
  regops plan     [source] [clusters] [selection] [-o text|json|markdown] [--report-dir DIR] [--concurrency 20]
  regops apply    [source] [clusters] (--cluster NAME... | --selector k=v) [--concurrency 5] [--timeout 10m] [-o ...] [--report-dir DIR]
  regops rollout  [source] [clusters] [selection] [--from-wave NAME] [--bake DURATION] [--timeout 10m] [-o ...] [--report-dir DIR]
  regops drift    [source] [clusters] [selection] [--no-enforce] [--concurrency 50] [--timeout 10m] [-o ...] [--report-dir DIR]
  regops sandbox up [--fleet config/fleet.yaml | --clusters N] [--kubeconfig FILE] [--port N]
  regops sandbox down [--url URL]

  validate  check YAML, the CRD schemas and the registry rules; findings as FILE:LINE:COL
  plan      show what would change on each cluster (read only)
  apply     change the named clusters now, no waves; each must pass the health gate
  rollout   change the fleet wave by wave (fleet.yaml), halting a wave that fails its health gate
  drift     compare every cluster with Git (read only); clusters whose policy is enforce are corrected
  sandbox   a local fake fleet with the registry operator simulated, to try regops on

Source (desired state):
  --config DIR               local config repository holding fleet.yaml (default ./config)
  --github OWNER/REPO[@REF]  a commit or branch on GitHub (token from GITHUB_TOKEN)
Clusters (live state):
  --kubeconfig FILE          kubeconfig (else KUBECONFIG, else ~/.kube/config); context per fleet.yaml
  --live-dir DIR             saved \`oc get -o yaml\` output, DIR/<cluster>/*.yaml (plan and drift only)
  --secrets-file FILE        secret values from a JSON or KEY=value file instead of AWS Secrets Manager/SSM
                             (AWS: AWS_REGION, AWS_ENDPOINT_URL, the default credentials; extra CA: REGOPS_CA_FILE)
Selection (default: every cluster):
  --cluster NAME             a cluster by name (repeatable)
  --selector key=value       clusters carrying these labels (repeatable or comma-separated)
Rollout and drift:
  --from-wave NAME           start at this wave (resume after a halt)
  --bake DURATION            pause after a wave that changed something (default: the wave's bakeTime)
  --timeout DURATION         how long a cluster may take to pass the health gate (30s, 5m, 1h30m)
  --no-enforce               drift: report only, correct nothing, whatever the fleet's policy says
  --concurrency N            clusters worked on at once
Output:
  -o, --output FORMAT        text (default; coloured on a terminal), json (apiVersion regops/v1), markdown
  --report-dir DIR           also write latest/<kind>.json|.md, latest/index.html and history/ there
  Progress lines go to stderr, the report to stdout.

Exit codes: 0 success, no changes or in sync; 2 changes (plan) or drift found (drift); 1 error.
`;
