/**
 * Cell and header style of a short column (names, dates, statuses): it
 * never wraps, so a narrow window scrolls the table rather than breaking a
 * word over two lines.
 */
export const SHORT_COLUMN = {
  cellStyle: { whiteSpace: 'nowrap' },
  headerStyle: { whiteSpace: 'nowrap' },
} as const;
