/**
 * Whether the next page of a peer's log is read with its bodies
 * (`include=data`) or keys only. Bodies ride with the page when most of them
 * are missing here (an initial sync); keys only when most are present, so
 * nothing is sent that this node holds. Two thresholds, so a page that is
 * half and half does not flip the mode on every page.
 */
export type BodyMode = 'keys' | 'data';

export const TO_DATA_ABOVE = 0.75;
export const TO_KEYS_BELOW = 0.25;

/** `missing` of `entries` on the page just planned had no version here. */
export function nextBodyMode(current: BodyMode, missing: number, entries: number): BodyMode {
  if (entries === 0) return current;
  const share = missing / entries;
  if (current === 'keys' && share > TO_DATA_ABOVE) return 'data';
  if (current === 'data' && share < TO_KEYS_BELOW) return 'keys';
  return current;
}
