import { describe, expect, it } from 'vitest';
import { rememberDelivery } from '../../../../functions/handlers/wiring/remember-delivery.ts';

describe('rememberDelivery', () => {
  it('ignores an empty id (a request without X-GitHub-Delivery)', () => {
    const seen = new Set<string>();
    rememberDelivery(seen, '');
    expect(seen.size).toBe(0);
  });

  it('keeps the last 1,000 ids, forgetting the oldest first', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1002; i += 1) rememberDelivery(seen, `d-${i}`);
    expect(seen.size).toBe(1000);
    expect(seen.has('d-0')).toBe(false);
    expect(seen.has('d-1')).toBe(false);
    expect(seen.has('d-2')).toBe(true);
    expect(seen.has('d-1001')).toBe(true);
  });
});
