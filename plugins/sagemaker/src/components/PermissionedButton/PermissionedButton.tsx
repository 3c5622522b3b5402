import { Button, ButtonProps, Tooltip, makeStyles } from '@material-ui/core';
import { useState } from 'react';
import { ActionPermission } from '../../hooks/useVersionActionPermissions';

const useStyles = makeStyles(theme => ({
  // Looks disabled, but stays in the tab order so its reason can be read.
  inactive: {
    color: theme.palette.text.disabled,
    cursor: 'not-allowed',
    '&:hover': { backgroundColor: 'transparent' },
  },
  reason: {
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
  },
}));

let nextId = 0;

/**
 * A button the user may not use (no permission, or a reason given in
 * `inactiveReason`) stays focusable, is marked aria-disabled, and carries its
 * reason: in a tooltip on hover and focus, and as its accessible
 * description for screen readers. A disabled button would be skipped by Tab
 * and say nothing.
 */
export const PermissionedButton = ({
  permission,
  inactiveReason,
  onClick,
  ...props
}: ButtonProps & {
  permission: ActionPermission;
  /** Why the action does not apply, when it does not (e.g. a Rejected version). */
  inactiveReason?: string;
}) => {
  const classes = useStyles();
  const [reasonId] = useState(() => `sagemaker-reason-${(nextId += 1)}`);
  const reason = permission.allowed ? inactiveReason : permission.reason;
  if (!reason) {
    return <Button {...props} onClick={onClick} />;
  }
  return (
    <>
      <Tooltip title={reason}>
        <Button
          {...props}
          aria-disabled="true"
          aria-describedby={reasonId}
          className={classes.inactive}
          disableRipple
          onClick={event => event.preventDefault()}
        />
      </Tooltip>
      <span id={reasonId} className={classes.reason}>
        {reason}
      </span>
    </>
  );
};
