/**
 * Sets an own key of a plain object, `__proto__` included: plain assignment of `__proto__` would
 * change the prototype instead of adding a key (a ConfigMap data key may be named anything).
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
