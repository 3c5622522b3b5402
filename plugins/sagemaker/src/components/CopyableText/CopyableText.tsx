import { CopyTextButton } from '@backstage/core-components';
import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  root: { display: 'flex', alignItems: 'flex-start', gap: theme.spacing(0.5) },
  // Identifiers break only where they must (no mid-word splits of prose).
  text: {
    fontFamily: 'monospace',
    fontSize: theme.typography.body2.fontSize,
    overflowWrap: 'anywhere',
    paddingTop: theme.spacing(0.75),
  },
}));

/**
 * A whole identifier (an ARN, an S3 URI, an image) with a button that copies
 * it; where there is room to show it all, unlike `TruncatedArn`.
 */
export const CopyableText = ({
  value,
  label,
}: {
  value: string;
  /** What the value is, for the copy button's accessible name. */
  label: string;
}) => {
  const classes = useStyles();
  return (
    <span className={classes.root}>
      <span className={classes.text}>{value}</span>
      <CopyTextButton
        text={value}
        tooltipText="Copied"
        aria-label={`Copy ${label}`}
      />
    </span>
  );
};
