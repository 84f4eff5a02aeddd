/** The vendored CRD manifests as data (see README.md). Imported by core and the sandbox alike. */
import crds from './crds.json' with { type: 'json' };

export interface VendoredCrd {
  file: string;
  crd: unknown;
}

export const vendoredCrds: readonly VendoredCrd[] = crds as VendoredCrd[];
