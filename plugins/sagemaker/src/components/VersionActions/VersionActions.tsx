import { ModelVersionSummary } from '@internal/backstage-plugin-sagemaker-common';
import { VersionActionPermissions } from '../../hooks/useVersionActionPermissions';
import { approvalStatusPhrase } from '../../utils/labels';
import { PermissionedButton } from '../PermissionedButton';

/**
 * Props of {@link VersionActions}.
 */
export interface VersionActionsProps {
  version: ModelVersionSummary;
  permissions: VersionActionPermissions;
  onApproval: (
    version: ModelVersionSummary,
    decision: 'Approved' | 'Rejected',
  ) => void;
  onDeploy: (version: ModelVersionSummary) => void;
  /** Opens the lifecycle stage dialog; without it there is no Stage button. */
  onLifecycle?: (version: ModelVersionSummary) => void;
}

/**
 * Approve, Reject, Deploy and Stage for one version, wherever versions are listed
 * (cards and the table). An action that does not apply says why.
 */
export const VersionActions = ({
  version,
  permissions,
  onApproval,
  onDeploy,
  onLifecycle,
}: VersionActionsProps) => (
  <>
    {version.approvalStatus !== 'Approved' && (
      <PermissionedButton
        size="small"
        color="primary"
        permission={permissions.approve}
        onClick={() => onApproval(version, 'Approved')}
      >
        Approve
      </PermissionedButton>
    )}
    {version.approvalStatus !== 'Rejected' && (
      <PermissionedButton
        size="small"
        permission={permissions.approve}
        onClick={() => onApproval(version, 'Rejected')}
      >
        Reject
      </PermissionedButton>
    )}
    <PermissionedButton
      size="small"
      color="primary"
      permission={permissions.deploy}
      inactiveReason={
        version.approvalStatus === 'Approved'
          ? undefined
          : `Only approved versions can be deployed: version ${
              version.version
            } is ${approvalStatusPhrase(version.approvalStatus)}`
      }
      onClick={() => onDeploy(version)}
    >
      Deploy
    </PermissionedButton>
    {onLifecycle && permissions.lifecycle && (
      <PermissionedButton
        size="small"
        permission={permissions.lifecycle}
        onClick={() => onLifecycle(version)}
      >
        Stage
      </PermissionedButton>
    )}
  </>
);
