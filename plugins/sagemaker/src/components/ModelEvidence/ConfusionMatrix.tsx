import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { ParsedModelReport } from '@internal/backstage-plugin-sagemaker-common';

/**
 * Props of {@link ConfusionMatrix}.
 */
export interface ConfusionMatrixProps {
  matrix: NonNullable<ParsedModelReport['confusionMatrix']>;
}

/** Counts by actual label (rows) and predicted label (columns), as a table. */
export const ConfusionMatrix = ({ matrix }: ConfusionMatrixProps) => {
  const total = matrix.counts.flat().reduce((a, b) => a + b, 0);
  return (
    <>
      <Typography variant="subtitle2" component="h5">
        Confusion matrix ({total} evaluated)
      </Typography>
      <Table size="small" aria-label="Confusion matrix">
        <TableHead>
          <TableRow>
            <TableCell>Actual \ predicted</TableCell>
            {matrix.labels.map(label => (
              <TableCell key={label} align="right">
                {label}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {matrix.labels.map((actual, row) => (
            <TableRow key={actual}>
              <TableCell component="th" scope="row">
                {actual}
              </TableCell>
              {matrix.counts[row].map((count, column) => (
                <TableCell
                  key={matrix.labels[column]}
                  align="right"
                  style={{ fontWeight: row === column ? 600 : undefined }}
                >
                  {count}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
};
