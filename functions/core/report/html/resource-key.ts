import type { PlanTarget } from '../../model.ts';

/** A stable key and a readable label for the resource a drifted field belongs to. */
export function describeTarget(target: PlanTarget): { key: string; label: string } {
  switch (target.type) {
    case 'object': {
      const { apiVersion, kind, namespace, name } = target.ref;
      const qualified = namespace === undefined ? name : `${namespace}/${name}`;
      return { key: `object:${apiVersion}:${kind}:${qualified}`, label: `${kind} ${qualified}` };
    }
    case 'bucket':
      return { key: `bucket:${target.region}:${target.name}`, label: `S3 bucket ${target.name} (${target.region})` };
    case 'health-gate':
      return { key: 'health-gate', label: 'Health gate' };
  }
}
