/**
 * A running total of the `bytes` of the rows of `page` in `order`, with each
 * row's rank and the page's row count: how a read is bounded in bytes inside
 * SQL, so rows past the bound never reach this process.
 */
export function sizedPage(order: string): string {
  return `sized AS (SELECT *, count(*) OVER () AS found, row_number() OVER w AS rn, sum(bytes) OVER w AS running
    FROM page WINDOW w AS (ORDER BY ${order} ROWS UNBOUNDED PRECEDING))`;
}

/** `columns` (a list such as VERSION_COLUMNS) of `table` in a join; without data, `data` is null as in KEY_COLUMNS. */
export function columnsOf(table: string, columns: string, { withData = true } = {}): string {
  return columns
    .split(', ')
    .map((column) => (column === 'data' && !withData ? 'NULL::jsonb AS data' : `${table}.${column}`))
    .join(', ');
}
