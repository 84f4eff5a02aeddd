/** The usage text `regops --help` prints. */
export const usage = `regops: keep the OpenShift image registry of every cluster the way Git says

Usage:
  regops validate [source] [-o text|json]
  regops plan     [source] [clusters] [selection] [-o text|json|markdown] [--report-dir DIR] [--concurrency N]
  regops apply    [source] [clusters] --cluster NAME... | --selector k=v  [--timeout 10m] [-o ...] [--report-dir DIR]
  regops rollout  [source] [clusters] [selection] [--from-wave NAME] [--bake 30s] [--timeout 10m] [-o ...] [--report-dir DIR]
  regops drift    [source] [clusters] [selection] [--no-enforce] [--concurrency 50] [-o ...] [--report-dir DIR]
  regops sandbox up (--fleet config/fleet.yaml | --clusters N) [--kubeconfig FILE] [--port N]
  regops sandbox down [--url URL]

Source (desired state):
  --config DIR               local config repository (default ./config)
  --github OWNER/REPO[@REF]  a commit or branch on GitHub (token from GITHUB_TOKEN)
Clusters (live state):
  --kubeconfig FILE          kubeconfig (else KUBECONFIG, else ~/.kube/config); context per fleet.yaml
  --live-dir DIR             saved \`oc get -o yaml\` output, DIR/<cluster>/*.yaml (plan and drift only)
  --secrets-file FILE        secret values from a JSON or KEY=value file instead of AWS Secrets Manager/SSM
                             (AWS: AWS_REGION, AWS_ENDPOINT_URL, the default credentials; extra CA: REGOPS_CA_FILE)
Selection:
  --cluster NAME             a cluster by name (repeatable)
  --selector key=value       clusters carrying these labels (repeatable or comma-separated)
Output:
  -o, --output FORMAT        text (default; coloured on a terminal), json (apiVersion regops/v1), markdown
  --report-dir DIR           also write latest/<kind>.json|.md, latest/index.html and history/ there

Exit codes: 0 success, no changes or in sync; 2 changes (plan) or drift found (drift); 1 error.
`;
