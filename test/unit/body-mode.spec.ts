import { TO_DATA_ABOVE, TO_KEYS_BELOW, nextBodyMode } from '../../src/sync/body-mode';

describe('nextBodyMode', () => {
  it('switches to bodies with the page when most entries are missing here', () => {
    expect(nextBodyMode('keys', 1000, 1000)).toBe('data');
    expect(nextBodyMode('keys', 760, 1000)).toBe('data');
  });

  it('switches to keys only when most entries are present here', () => {
    expect(nextBodyMode('data', 0, 1000)).toBe('keys');
    expect(nextBodyMode('data', 240, 1000)).toBe('keys');
  });

  it('keeps its mode between the two thresholds (hysteresis)', () => {
    for (const missing of [250, 500, 750]) {
      expect(nextBodyMode('keys', missing, 1000)).toBe('keys');
      expect(nextBodyMode('data', missing, 1000)).toBe('data');
    }
    expect(TO_KEYS_BELOW).toBeLessThan(TO_DATA_ABOVE);
  });

  it('keeps its mode after an empty page', () => {
    expect(nextBodyMode('data', 0, 0)).toBe('data');
    expect(nextBodyMode('keys', 0, 0)).toBe('keys');
  });
});
