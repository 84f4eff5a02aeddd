/**
 * Where the CLI keeps the fleet lease and the release record (engine/fleet-lease.ts,
 * engine/release-record.ts; config/README.md "Fleet state"): REGOPS_STATE_BUCKET (`bucket` or
 * `s3://bucket/prefix/`, shared by everyone who rolls this fleet out, and by the AWS workflows when
 * it names their reports bucket with prefix `state/`), else REGOPS_STATE_DIR, else a folder
 * `regops-state/` beside the kubeconfig: the kubeconfig names the fleet, so two fleets never share
 * a lease and everyone using that kubeconfig on this machine shares one.
 */
import { hostname } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import type { StateObject, StateStore, StateWriteCondition } from '../engine/ports.ts';
import { FsStateStore } from '../adapters/local-fs/fs-state-store.ts';
import { UsageError } from './usage-error.ts';

/** The lease holder name of this process: who a refused run is told holds the fleet. */
export function describeProcess(): string {
  return `cli:${hostname()}:${process.pid}`;
}

/**
 * A holder `cli:<host>:<pid>:…` of this host whose process no longer exists is gone: a rerun after
 * `kill -9` or a crash takes the lease over at once instead of waiting for its TTL. Holders of other
 * hosts and of the workflows are never judged here (their TTL applies).
 */
export function isLocalHolderGone(holder: string): boolean {
  const match = /^cli:([^:]+):(\d+):/.exec(holder);
  if (match === null || match[1] !== hostname()) return false;
  const pid = Number(match[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return false;
  } catch (thrown) {
    return (thrown as { code?: unknown }).code === 'ESRCH';
  }
}

/** The state store for the fleet `kubeconfig` reaches; `awsConfig` builds the S3 client settings on first use. */
export function createStateStore(kubeconfig: string, awsConfig: () => Promise<S3ClientConfig>): StateStore {
  const bucket = process.env['REGOPS_STATE_BUCKET'];
  if (bucket !== undefined && bucket !== '') {
    const match = /^(?:s3:\/\/)?([^/\s]+)(?:\/(\S*))?$/.exec(bucket);
    if (match === null) throw new UsageError(`REGOPS_STATE_BUCKET ${bucket}: expected BUCKET or s3://BUCKET/PREFIX/`);
    const name = match[1] as string;
    const prefix = match[2] === undefined || match[2] === '' ? 'state/' : match[2].endsWith('/') ? match[2] : `${match[2]}/`;
    let store: Promise<StateStore> | undefined;
    // the AWS SDK is loaded when the store is first used, not at every command's start-up
    const open = (): Promise<StateStore> => {
      store ??= (async () => {
        const [{ S3Client }, { S3StateStore }, config] = await Promise.all([import('@aws-sdk/client-s3'), import('../adapters/s3/s3-state-store.ts'), awsConfig()]);
        return new S3StateStore(new S3Client(config), name, prefix);
      })();
      return store;
    };
    return {
      read: async (key: string): Promise<StateObject | undefined> => (await open()).read(key),
      write: async (key: string, body: string, condition?: StateWriteCondition): Promise<string> => (await open()).write(key, body, condition),
      locate: (key: string): string => `s3://${name}/${prefix}${key}`,
    };
  }
  const dir = process.env['REGOPS_STATE_DIR'];
  const first = kubeconfig.split(delimiter).find((file) => file !== '') ?? kubeconfig;
  return new FsStateStore(dir !== undefined && dir !== '' ? dir : join(dirname(first), 'regops-state'));
}
