import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { makeStyles } from '@material-ui/core';

const ICONS = {
  ok: StatusOK,
  error: StatusError,
  warning: StatusWarning,
  pending: StatusPending,
  running: StatusRunning,
  aborted: StatusAborted,
};

/** The colour and icon of a status. */
export type StatusKind = keyof typeof ICONS;

const useStyles = makeStyles({
  root: {
    display: 'inline-flex',
    alignItems: 'baseline',
    whiteSpace: 'nowrap',
  },
});

/**
 * A status icon with its text. Backstage's Status components hide their
 * whole content from assistive technology (aria-hidden), so the text sits
 * beside the icon, where screen readers read it.
 */
export const StatusText = ({
  kind,
  children,
}: {
  kind: StatusKind;
  children: string;
}) => {
  const classes = useStyles();
  const Icon = ICONS[kind];
  return (
    <span className={classes.root}>
      <Icon />
      <span>{children}</span>
    </span>
  );
};
