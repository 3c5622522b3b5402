import { CopyTextButton } from '@backstage/core-components';
import { Tooltip, makeStyles } from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  root: { display: 'inline-flex', alignItems: 'center', maxWidth: '100%' },
  text: {
    fontFamily: 'monospace',
    fontSize: theme.typography.caption.fontSize,
    color: theme.palette.text.secondary,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    maxWidth: '16em',
  },
}));

/**
 * A long identifier (an ARN, an S3 URI) cut to one line: the whole value in
 * a tooltip and its title, and a button that copies it.
 */
export const TruncatedArn = ({ value }: { value: string }) => {
  const classes = useStyles();
  return (
    <span className={classes.root}>
      <Tooltip title={value}>
        <span className={classes.text} title={value}>
          {value}
        </span>
      </Tooltip>
      <CopyTextButton
        text={value}
        tooltipText="Copied"
        aria-label={`Copy ${value}`}
      />
    </span>
  );
};
