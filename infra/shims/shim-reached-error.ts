/**
 * What a bundle shim (infra/shims/*, wired by infra/bundle.ts's functionShims) throws if a function
 * ever reaches the code it stands in for: the package was left out of the Lambda bundles because no
 * path of regops' functions calls it, so reaching it is a regops bug, never a silent stand-in.
 */
import { RegopsError } from '../../functions/core/errors.ts';

export class ShimReachedError extends RegopsError {
  constructor(pkg: string, call: string, why: string) {
    super(
      'bundle.shim-reached',
      `${pkg} (${call}): reached in a function bundle, where infra/bundle.ts leaves it out because ${why}; a regops bug: remove the shim from functionShims in infra/bundle.ts`,
      { package: pkg, call },
    );
  }
}
