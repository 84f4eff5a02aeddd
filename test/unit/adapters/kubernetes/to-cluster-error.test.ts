/**
 * Network failures as toClusterError classifies them: a refused certificate is cluster.tls (never
 * retried: the server sends the same certificate again), a lost connection cluster.unreachable
 * (retried). The errors are built the way node's tls and net modules build them (a `code` on an
 * Error, under FetchError's `cause`), since no real server can be made to fail each way here.
 */
import { describe, expect, it } from 'vitest';
import { toClusterError } from '../../../../functions/adapters/kubernetes/to-cluster-error.ts';
import { isTransient } from '../../../../functions/engine/retry.ts';

const call = { cluster: 'prod-eu-1', resource: 'Config/cluster', verb: 'read', redact: [] };

function systemError(code: string, message: string): Error {
  const inner = Object.assign(new Error(message), { code });
  return Object.assign(new Error(`request to https://api.prod-eu-1:6443/ failed, reason: ${message}`, { cause: inner }), { name: 'FetchError' });
}

describe('toClusterError: certificates versus lost connections', () => {
  it.each([
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'],
    ['CERT_HAS_EXPIRED', 'certificate has expired'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'],
  ])('%s is cluster.tls, not retried, and says what to check', (code, message) => {
    const error = toClusterError(systemError(code, message), call);
    expect(error.code).toBe('cluster.tls');
    expect(error.message).toMatch(new RegExp(`^cluster prod-eu-1: Config/cluster: read failed: the server's TLS certificate was not accepted \\(${code}\\): .*check the cluster's CA`));
    expect(isTransient(error)).toBe(false);
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH'])('%s stays cluster.unreachable and is retried', (code) => {
    const error = toClusterError(systemError(code, 'socket hang up'), call);
    expect(error.code).toBe('cluster.unreachable');
    expect(isTransient(error)).toBe(true);
  });
});
