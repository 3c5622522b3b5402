import {
  InfoCard,
  Link,
  MissingAnnotationEmptyState,
  Progress,
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
import { DataTable, DataTableColumn } from '../DataTable';
import { useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import { useEndpoints } from '../../hooks/useEndpoints';
import { useEntityTabLink } from '../../hooks/useEntityTabLink';
import { useModelVersions } from '../../hooks/useModelVersions';
import { placementsOf } from '../../utils/deployability';
import { errorMessage } from '../../utils/errors';
import { formatDateTime, formatMetric } from '../../utils/labels';
import { SHORT_COLUMN } from '../../utils/tableStyles';
import { keyMetrics } from '../../utils/versions';
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

const Metrics = ({ version }: { version: ModelVersionSummary }) => (
  <>
    {keyMetrics(version, 2).map(([name, value]) => (
      <Box key={name} whiteSpace="nowrap">
        {name} {formatMetric(value)}
      </Box>
    ))}
  </>
);

/** A long description takes two lines; the whole of it is in its title. */
const CLAMPED_TWO_LINES = {
  display: '-webkit-box',
  WebkitLineClamp: 2,
  WebkitBoxOrient: 'vertical' as const,
  overflow: 'hidden',
};

function columns(
  endpoints: ModelEndpoint[] | undefined,
  tabLink: string | undefined,
): DataTableColumn<ModelVersionSummary>[] {
  return [
    {
      title: 'Version',
      field: 'version',
      ...SHORT_COLUMN,
      render: row =>
        tabLink ? (
          <Link
            to={`${tabLink}?version=${row.version}`}
            aria-label={`Version ${row.version} of ${row.groupName}`}
          >
            {row.version}
          </Link>
        ) : (
          row.version
        ),
    },
    {
      title: 'Status',
      field: 'approvalStatus',
      ...SHORT_COLUMN,
      render: row => <ApprovalStatus status={row.approvalStatus} />,
    },
    {
      title: 'Created',
      field: 'createdAt',
      ...SHORT_COLUMN,
      render: row => formatDateTime(row.createdAt),
    },
    { title: 'Key metrics', render: row => <Metrics version={row} /> },
    {
      title: 'Description',
      field: 'description',
      render: row => (
        <span style={CLAMPED_TWO_LINES} title={row.description}>
          {row.description}
        </span>
      ),
    },
    {
      title: 'Deployed',
      render: row => <Deployed version={row} endpoints={endpoints} />,
    },
  ];
}

const VersionsCard = ({ limit }: { limit: number }) => {
  const { value, loading, error, retry } = useModelVersions({ limit });
  const endpoints = useEndpoints();
  const tabLink = useEntityTabLink();
  const navigate = useNavigate();
  const tableColumns = useMemo(
    () => columns(endpoints.value?.endpoints, tabLink),
    [endpoints.value, tabLink],
  );

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
        <DataTable<ModelVersionSummary>
          key={group.groupArn}
          title={`Model versions: ${group.groupName}`}
          subtitle={`Account ${group.accountId}, ${group.region}`}
          rowKey={v => v.arn}
          columns={tableColumns}
          data={group.versions.map(version => ({
            ...version,
            id: version.arn,
          }))}
          onRowClick={
            tabLink
              ? row => navigate(`${tabLink}?version=${row.version}`)
              : undefined
          }
          emptyContent={
            <Typography variant="body2" style={{ padding: 16 }}>
              No versions are registered in {group.groupName} yet.
            </Typography>
          }
        />
      ))}
      {tabLink && (
        <Box padding={2} paddingTop={1}>
          <Link to={tabLink}>View all versions</Link>
        </Box>
      )}
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
 * approval status, key metrics and where each is deployed, for the entity
 * overview. A row opens the version on the entity's SageMaker tab.
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
