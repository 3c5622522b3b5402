import {
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Button, Typography } from '@material-ui/core';
import {
  ModelVersionSummary,
  SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION,
  isSageMakerAvailable,
} from '@internal/backstage-plugin-sagemaker-common';
import { useModelVersions } from '../../hooks/useModelVersions';
import { ApprovalStatus } from '../ApprovalStatusChip';

const columns: TableColumn<ModelVersionSummary>[] = [
  { title: 'Version', field: 'version', width: '10%' },
  {
    title: 'Status',
    field: 'approvalStatus',
    render: row => <ApprovalStatus status={row.approvalStatus} />,
  },
  {
    title: 'Created',
    field: 'createdAt',
    render: row => new Date(row.createdAt).toLocaleString(),
  },
  { title: 'Description', field: 'description' },
];

const VersionsCard = ({ limit }: { limit: number }) => {
  const { value, loading, error, retry } = useModelVersions({ limit });

  if (loading && !value) {
    return (
      <InfoCard title="Model versions">
        <Progress />
      </InfoCard>
    );
  }
  if (error) {
    return (
      <InfoCard
        title="Model versions"
        action={
          <Button onClick={retry} color="primary">
            Retry
          </Button>
        }
      >
        <ResponseErrorPanel error={error} />
      </InfoCard>
    );
  }
  return (
    <>
      {value?.groups.map(group => (
        <Table<ModelVersionSummary>
          key={group.groupArn}
          title={`Model versions: ${group.groupName}`}
          subtitle={`Account ${group.accountId}, ${group.region}`}
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={columns}
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
 * The latest model versions of the entity's model package groups, for the
 * entity overview.
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
