/**
 * A value built on first use and shared after: the CLI wires its ports with it so a command loads
 * client-node, the AWS SDK or octokit (about a second of module loading together, issue 12) only
 * when it really calls a cluster, AWS or GitHub. `regops validate` never does.
 */
export function loadOnce<T>(build: () => Promise<T>): () => Promise<T> {
  let built: Promise<T> | undefined;
  return () => (built ??= build());
}
