import {
  LinearProgress,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { CSSProperties, ReactNode, useState } from 'react';
import { ScrollRegion, fromControl } from './ScrollRegion';

/**
 * One column of a {@link DataTable}: a field shown as text, or a render.
 */
export interface DataTableColumn<T> {
  title: string;
  field?: keyof T & string;
  render?: (row: T) => ReactNode;
  cellStyle?: CSSProperties;
  headerStyle?: CSSProperties;
  /** The column that names the row, in bold. */
  highlight?: boolean;
}

/**
 * Props of {@link DataTable}.
 */
export interface DataTableProps<T> {
  title: string;
  subtitle?: string;
  columns: DataTableColumn<T>[];
  data: T[];
  /** A stable, unique key per row. */
  rowKey: (row: T) => string | number;
  isLoading?: boolean;
  /** Shown in place of the rows when there are none. */
  emptyContent: ReactNode;
  onRowClick?: (row: T) => void;
}

const useStyles = makeStyles(theme => ({
  header: { padding: theme.spacing(2, 2, 1) },
  clickable: { cursor: 'pointer' },
  highlight: { fontWeight: theme.typography.fontWeightBold as number },
}));

let nextId = 0;

/**
 * A short, dense, read-only table with a title: what our panels list
 * (endpoints, deployments, history, the latest versions). Backstage's Table
 * wraps material-table, whose paging, search and sort these lists do not
 * use, and which warns in development whenever rows with rendered cells
 * change ("columns … contain functions"); this renders MUI's table directly.
 */
export function DataTable<T>({
  title,
  subtitle,
  columns,
  data,
  rowKey,
  isLoading,
  emptyContent,
  onRowClick,
}: DataTableProps<T>) {
  const classes = useStyles();
  const [titleId] = useState(() => `sagemaker-table-${(nextId += 1)}`);
  const cell = (row: T, column: DataTableColumn<T>): ReactNode => {
    if (column.render) {
      return column.render(row);
    }
    const value = column.field ? row[column.field] : undefined;
    return value === undefined || value === null ? '' : String(value);
  };
  let body: ReactNode;
  if (isLoading) {
    body = (
      <LinearProgress aria-label={`Loading ${title.toLocaleLowerCase()}`} />
    );
  } else if (data.length === 0) {
    body = emptyContent;
  } else {
    body = (
      <ScrollRegion labelledBy={titleId}>
        <Table size="small" aria-labelledby={titleId}>
          <TableHead>
            <TableRow>
              {columns.map(column => (
                <TableCell key={column.title} style={column.headerStyle}>
                  {column.title}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {data.map(row => (
              <TableRow
                key={rowKey(row)}
                hover={Boolean(onRowClick)}
                className={onRowClick ? classes.clickable : undefined}
                onClick={
                  onRowClick
                    ? event => {
                        if (!fromControl(event)) {
                          onRowClick(row);
                        }
                      }
                    : undefined
                }
              >
                {columns.map(column => (
                  <TableCell
                    key={column.title}
                    style={column.cellStyle}
                    className={column.highlight ? classes.highlight : undefined}
                  >
                    {cell(row, column)}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </ScrollRegion>
    );
  }
  return (
    <Paper>
      <div className={classes.header}>
        <Typography variant="h5" component="h2" id={titleId}>
          {title}
        </Typography>
        {subtitle && (
          <Typography variant="body2" color="textSecondary">
            {subtitle}
          </Typography>
        )}
      </div>
      {body}
    </Paper>
  );
}
