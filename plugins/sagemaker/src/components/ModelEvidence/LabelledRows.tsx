import {
  Table,
  TableBody,
  TableCell,
  TableRow,
  makeStyles,
} from '@material-ui/core';
import { ReactNode } from 'react';

const useStyles = makeStyles({
  label: { width: '35%', verticalAlign: 'top', fontWeight: 500 },
  value: { overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' },
});

/**
 * Props of {@link LabelledRows}.
 */
export interface LabelledRowsProps {
  rows: Array<[string, ReactNode]>;
}

/** Label and value pairs as a two-column table, labels as row headers. */
export const LabelledRows = ({ rows }: LabelledRowsProps) => {
  const classes = useStyles();
  return (
    <Table size="small">
      <TableBody>
        {rows.map(([label, value]) => (
          <TableRow key={label}>
            <TableCell component="th" scope="row" className={classes.label}>
              {label}
            </TableCell>
            <TableCell className={classes.value}>{value}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
