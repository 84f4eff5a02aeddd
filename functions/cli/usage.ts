/** The usage text `regops --help` prints (kept under 100 columns). */
export const usage = `regops: keep the OpenShift image registry of every cluster the way Git says

Usage: regops COMMAND [options]
  regops validate                     YAML, the CRD schemas and the registry rules; FILE:LINE:COL
  regops plan     [selection]         what would change on each cluster (read only)
  regops apply    --cluster NAME...   change these clusters now (or --selector), no waves
  regops rollout  [selection]         change the fleet wave by wave; stops at a failed wave
  regops drift    [selection]         compare clusters with Git (read only); policy enforce corrects
  regops import   --out DIR           a config repository built from the live clusters
  regops sandbox up | down            a local fleet with a simulated registry operator
  regops testbed up | down            real control planes, the real registry operator, moto
Every change passes the health gate: ClusterOperator image-registry Available, not Progressing,
not Degraded.

Source (desired state), every command:
  --config DIR               local config repository holding fleet.yaml (default ./config)
  --github OWNER/REPO[@REF]  a commit or branch on GitHub (token from GITHUB_TOKEN)
Clusters (live state):
  --kubeconfig FILE          else KUBECONFIG, else ~/.kube/config; contexts as fleet.yaml names them
  --live-dir DIR             saved \`oc get -o yaml\` output, DIR/<cluster>/*.yaml (plan, drift)
  --secrets-file FILE        secret values from a JSON or KEY=value file, not AWS Secrets Manager
                             or SSM (AWS: AWS_REGION, AWS_ENDPOINT_URL, the default credentials;
                             an extra CA for the AWS endpoint: REGOPS_CA_FILE)
Selection (default: every cluster):
  --cluster NAME             a cluster by name (repeatable)
  --selector key=value       clusters carrying these labels (repeatable or comma-separated)
Apply, rollout and drift:
  --from-wave NAME           rollout: start at this wave (resume after a halt)
  --bake DURATION            rollout: pause after a wave that changed something (default: bakeTime)
  --timeout DURATION         how long a cluster may take to pass the health gate (default 10m)
  --no-enforce               drift: report only, correct nothing, whatever the policy says
  --concurrency N            clusters at once: plan 20, apply 5, drift 50 (rollout: the wave's own)
Output:
  -o, --output FORMAT        text (default; coloured on a terminal), json (regops/v1), markdown
  --report-dir DIR           also write latest/<kind>.json|.md, latest/index.html and history/
  Progress lines go to stderr, the report to stdout.
Import (clusters from --fleet FILE, else every --live-dir folder or kubeconfig context):
  import --out DIR [--fleet FILE] [--kubeconfig FILE | --live-dir DIR] [--cluster NAME]
         [--buckets]  also read each Unmanaged S3 bucket's encryption and tags (AWS access)
Sandbox:
  sandbox up [--fleet config/fleet.yaml | --clusters N] [--kubeconfig FILE] [--port N]
             [--seed-dir DIR]   start clusters from saved oc get -o yaml output, DIR/<cluster>/
  sandbox down [--url URL]
Testbed (npm run testbed:build first):
  testbed up [--fleet config/fleet.yaml] [--cluster NAME]... [--kubeconfig FILE]
  testbed down

Exit codes: 0 success, nothing to change, in sync; 2 changes (plan) or drift found (drift);
1 error (invalid config, a failed apply or rollout, an unreachable cluster, bad usage).
`;
