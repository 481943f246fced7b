import { describe, expect, it } from 'vitest';
import { lazy } from '../../../lib/runtime/lazy.js';

describe('Unit: lazy', () => {
  it('makes nothing until first use, then makes the value once and keeps it', () => {
    // Prepare
    let made = 0;
    const client = lazy(() => ({ id: ++made }));
    // Act
    const before = made;
    const first = client();
    const second = client();
    // Assess
    expect(before).toBe(0);
    expect(first).toBe(second);
    expect(made).toBe(1);
  });

  it('keeps a falsy value instead of making it again', () => {
    // Prepare
    let made = 0;
    const none = lazy(() => {
      made++;
      return undefined;
    });
    // Act
    none();
    none();
    // Assess
    expect(made).toBe(1);
  });
});
