// The URL paths regops builds without discovery, as client-node's KubernetesObjectApi would.
import { describe, expect, it } from 'vitest';
import { formatResourceLabel } from '../../../../functions/adapters/kubernetes/known-resources.ts';

