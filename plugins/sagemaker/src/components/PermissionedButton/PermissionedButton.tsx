import { Button, ButtonProps, Tooltip } from '@material-ui/core';
import { ActionPermission } from '../../hooks/useVersionActionPermissions';

/**
 * A button that is disabled, with the reason in a tooltip, when the user may
 * not use it (or while that is still being checked).
 */
export const PermissionedButton = ({
  permission,
  disabled,
  ...props
}: ButtonProps & { permission: ActionPermission }) => {
  const button = (
    <Button {...props} disabled={disabled || !permission.allowed} />
  );
  if (permission.allowed || !permission.reason) {
    return button;
  }
  return (
    <Tooltip title={permission.reason}>
      {/* A disabled button fires no events; the span shows the tooltip. */}
      <span>{button}</span>
    </Tooltip>
  );
};
