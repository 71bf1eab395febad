import { describe, expect, it } from 'vitest';
import { VARIANTS, chosenVariants } from './queue-features.js';

describe('queue-features --variants', () => {
  it('runs every variant by default, or only those named, in their usual order', () => {
    expect(chosenVariants([])).toEqual(VARIANTS);
    expect(chosenVariants(['ttl', 'groups']).map((v) => v.key)).toEqual(['groups', 'ttl']);
  });

  it('refuses a name that is no variant, naming the ones there are', () => {
    expect(() => chosenVariants(['groups', 'grups'])).toThrow('--variants: unknown grups; queue-features has plain, groups, priority, ttl');
  });
});
