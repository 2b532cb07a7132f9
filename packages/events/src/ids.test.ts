import { newId, ulid } from './ids';

describe('ids', () => {
  it('are prefixed ULIDs: 26 Crockford base32 characters, unique across many drawn from one random block', () => {
    const ids = Array.from({ length: 2000 }, () => newId('delivery'));
    for (const id of ids) expect(id).toMatch(/^dlv_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sort by creation time', () => {
    const earlier = ulid(Date.UTC(2026, 0, 1));
    const later = ulid(Date.UTC(2026, 0, 1) + 1);
    expect(earlier < later).toBe(true);
    expect(earlier.slice(0, 10)).not.toBe(later.slice(0, 10));
  });
});
