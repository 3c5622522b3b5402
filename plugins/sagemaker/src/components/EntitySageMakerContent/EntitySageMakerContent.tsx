import {
  EmptyState,
  InfoCard,
  MissingAnnotationEmptyState,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Grid } from '@material-ui/core';
import {
  RollbackOption,
  SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION,
  isSageMakerAvailable,
} from '@internal/backstage-plugin-sagemaker-common';
import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useEndpoints } from '../../hooks/useEndpoints';
import { useRollbackOptions } from '../../hooks/useRollbackOptions';
import { useModelGroups } from '../../hooks/useModelGroups';
import { useVersionActionPermissions } from '../../hooks/useVersionActionPermissions';
import { DeploymentsTable } from '../DeploymentsTable';
import { EndpointsTable } from '../EndpointsTable';
import { GroupSelector } from '../GroupSelector';
import { HistoryTable } from '../HistoryTable';
import { LoadingVersions } from '../LoadingVersions';
import { ModelVersionsPanel } from '../ModelVersionsPanel';
import { RollbackDialog } from '../RollbackDialog';
import { ErrorCard } from '../ErrorCard';
import { WhoMayActNotice } from '../WhoMayActNotice';

/**
 * Props of {@link EntitySageMakerContent}.
 *
 * @public
 */
export interface EntitySageMakerContentProps {
  /**
   * How often a deployment in progress is polled, in milliseconds.
   * Default 2000.
   */
  pollIntervalMs?: number;
}

const SageMakerContent = ({ pollIntervalMs }: EntitySageMakerContentProps) => {
  const { entity } = useEntity();
  const groups = useModelGroups();
  const endpoints = useEndpoints();
  const permissions = useVersionActionPermissions(entity);
  // A link can name the group (`?group=<ARN>`, as notifications do) with
  // the version to open (`&version=N`); the selector changes it from there.
  const [params] = useSearchParams();
  const [groupArn, setGroupArn] = useState(
    () => params.get('group') ?? undefined,
  );
  const [refreshKey, setRefreshKey] = useState(0);

  const { retry: retryGroups } = groups;
  const { retry: retryEndpoints } = endpoints;
  const onApprovalChanged = useCallback(() => {
    retryGroups();
    setRefreshKey(key => key + 1);
  }, [retryGroups]);
  // Deployments and history reload when one started, or one was refused
  // (a denial is recorded too).
  const reloadActivity = useCallback(() => setRefreshKey(key => key + 1), []);
  const rollbacks = useRollbackOptions(refreshKey);
  const [rollingBack, setRollingBack] = useState<RollbackOption>();
  const onDeploymentFinished = useCallback(() => {
    retryEndpoints();
    setRefreshKey(key => key + 1);
  }, [retryEndpoints]);

  if (groups.loading && !groups.value) {
    return (
      <InfoCard title="Model versions">
        <LoadingVersions
          message={`Reading the model package groups of ${
            entity.metadata.title ?? entity.metadata.name
          } from the registry…`}
        />
      </InfoCard>
    );
  }
  if (groups.error) {
    return (
      <ErrorCard
        title="Model versions"
        error={groups.error}
        onRetry={groups.retry}
      />
    );
  }
  const all = groups.value?.groups ?? [];
  const group = all.find(g => g.groupArn === groupArn) ?? all[0];
  if (!group) {
    return (
      <EmptyState
        missing="data"
        title="No model package groups"
        description="The entity's annotation names no model package group that the backend can read."
      />
    );
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Model package group">
          <GroupSelector groups={all} selected={group} onChange={setGroupArn} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <WhoMayActNotice entity={entity} permissions={permissions} />
      </Grid>
      <Grid item xs={12}>
        <ModelVersionsPanel
          key={group.groupArn}
          group={group}
          endpoints={endpoints.value?.endpoints ?? []}
          permissions={permissions}
          onApprovalChanged={onApprovalChanged}
          onDeploymentStarted={reloadActivity}
          onDeploymentFinished={onDeploymentFinished}
          onRefused={reloadActivity}
          pollIntervalMs={pollIntervalMs}
        />
      </Grid>
      <Grid item xs={12}>
        <EndpointsTable
          endpoints={endpoints.value?.endpoints}
          discoveryTruncated={endpoints.value?.discoveryTruncated}
          loading={endpoints.loading}
          error={endpoints.error}
          retry={endpoints.retry}
          rollbacks={rollbacks.value}
          deployPermission={permissions.deploy}
          onRollback={setRollingBack}
        />
        {rollingBack && (
          <RollbackDialog
            option={rollingBack}
            onClose={() => setRollingBack(undefined)}
            onStarted={reloadActivity}
            onFinished={onDeploymentFinished}
            pollIntervalMs={pollIntervalMs}
          />
        )}
      </Grid>
      <Grid item xs={12}>
        <DeploymentsTable
          refreshKey={refreshKey}
          pollIntervalMs={pollIntervalMs}
        />
      </Grid>
      <Grid item xs={12}>
        <HistoryTable refreshKey={refreshKey} />
      </Grid>
    </Grid>
  );
};

/**
 * The entity tab: the entity's model package group (a selector when it names
 * several), its versions first (details, comparison, approval, deployment),
 * a metric chart, the endpoints serving its versions, then recent
 * deployments and the entity's history.
 *
 * @public
 */
export const EntitySageMakerContent = (props: EntitySageMakerContentProps) => {
  const { entity } = useEntity();
  if (!isSageMakerAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION}
      />
    );
  }
  return <SageMakerContent {...props} />;
};
