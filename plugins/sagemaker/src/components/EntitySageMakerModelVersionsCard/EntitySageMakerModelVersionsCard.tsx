import {
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Button, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  ModelEndpoint,
  ModelVersionSummary,
  SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION,
  isSageMakerAvailable,
} from '@internal/backstage-plugin-sagemaker-common';
import { useEndpoints } from '../../hooks/useEndpoints';
import { useModelVersions } from '../../hooks/useModelVersions';
import { placementsOf } from '../../utils/deployability';
import { errorMessage } from '../../utils/errors';
import { formatDateTime } from '../../utils/labels';
import { ApprovalStatus } from '../ApprovalStatus';
import { EndpointStatus } from '../EndpointStatus';
import { ErrorCard } from '../ErrorCard';

const Deployed = ({
  version,
  endpoints,
}: {
  version: ModelVersionSummary;
  endpoints?: ModelEndpoint[];
}) => {
  if (!endpoints) {
    return null;
  }
  const placements = placementsOf(version.arn, endpoints);
  if (placements.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        Not deployed
      </Typography>
    );
  }
  return (
    <>
      {placements.map(({ endpoint, variantName }) => (
        <Box key={`${endpoint.endpointArn}/${variantName}`}>
          <Typography variant="body2" component="span">
            {endpoint.target}: {endpoint.endpointName}{' '}
          </Typography>
          <EndpointStatus status={endpoint.status} />
        </Box>
      ))}
    </>
  );
};

function columns(
  endpoints?: ModelEndpoint[],
): TableColumn<ModelVersionSummary>[] {
  return [
    { title: 'Version', field: 'version', width: '10%' },
    {
      title: 'Status',
      field: 'approvalStatus',
      render: row => <ApprovalStatus status={row.approvalStatus} />,
    },
    {
      title: 'Created',
      field: 'createdAt',
      render: row => formatDateTime(row.createdAt),
    },
    { title: 'Description', field: 'description' },
    {
      title: 'Deployed',
      render: row => <Deployed version={row} endpoints={endpoints} />,
    },
  ];
}

const VersionsCard = ({ limit }: { limit: number }) => {
  const { value, loading, error, retry } = useModelVersions({ limit });
  const endpoints = useEndpoints();

  if (loading && !value) {
    return (
      <InfoCard title="Model versions">
        <Progress />
      </InfoCard>
    );
  }
  if (error) {
    return <ErrorCard title="Model versions" error={error} onRetry={retry} />;
  }
  const tableColumns = columns(endpoints.value?.endpoints);
  return (
    <>
      {endpoints.error && (
        <Alert
          severity="warning"
          action={
            <Button color="inherit" size="small" onClick={endpoints.retry}>
              Retry
            </Button>
          }
        >
          Could not load where the versions are deployed:{' '}
          {errorMessage(endpoints.error)}
        </Alert>
      )}
      {value?.groups.map(group => (
        <Table<ModelVersionSummary>
          key={group.groupArn}
          title={`Model versions: ${group.groupName}`}
          subtitle={`Account ${group.accountId}, ${group.region}`}
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={tableColumns}
          data={group.versions}
          emptyContent={
            <Typography variant="body2" style={{ padding: 16 }}>
              No versions are registered in {group.groupName} yet.
            </Typography>
          }
        />
      ))}
    </>
  );
};

/**
 * Props of {@link EntitySageMakerModelVersionsCard}.
 *
 * @public
 */
export interface EntitySageMakerModelVersionsCardProps {
  /** How many of the latest versions to show per group. Default 5. */
  limit?: number;
}

/**
 * The latest model versions of the entity's model package groups, with their
 * approval status and where each is deployed, for the entity overview.
 *
 * @public
 */
export const EntitySageMakerModelVersionsCard = ({
  limit = 5,
}: EntitySageMakerModelVersionsCardProps) => {
  const { entity } = useEntity();
  if (!isSageMakerAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION}
      />
    );
  }
  return <VersionsCard limit={limit} />;
};
