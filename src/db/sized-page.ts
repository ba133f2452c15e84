/**
 * A running total of the `bytes` column of the rows of a CTE named `page`, in
 * `order`, with each row's rank and the page's row count (`found`): how a
 * read is bounded in bytes inside SQL, so rows past the bound never reach
 * this process. Used as `WITH page AS (…), ${sizedPage('id')} SELECT … FROM sized`.
 */
export function sizedPage(order: string): string {
  return `sized AS (SELECT *, count(*) OVER () AS found, row_number() OVER w AS rn, sum(bytes) OVER w AS running
    FROM page WINDOW w AS (ORDER BY ${order} ROWS UNBOUNDED PRECEDING))`;
}
