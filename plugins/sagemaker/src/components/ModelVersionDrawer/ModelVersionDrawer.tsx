import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import {
  Box,
  Button,
  Drawer,
  IconButton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import CloseIcon from '@material-ui/icons/Close';
import {
  ModelApprovalStatus,
  ModelVersionDetails,
} from '@internal/backstage-plugin-sagemaker-common';
import { ReactNode } from 'react';
import { useModelVersionDetails } from '../../hooks/useModelVersionDetails';
import {
  METRIC_SOURCE_LABELS,
  formatDateTime,
  formatMetric,
} from '../../utils/labels';
import { compareMetricNames } from '../../utils/versions';
import { ApprovalStatus } from '../ApprovalStatus';
import { CopyableText } from '../CopyableText';
import { LineageView, ModelCardView, ModelReportView } from '../ModelEvidence';

const useStyles = makeStyles(theme => ({
  paper: { width: 'min(720px, 100vw)', padding: theme.spacing(3) },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  title: { flexGrow: 1 },
  section: { marginTop: theme.spacing(3) },
  label: { width: '35%', verticalAlign: 'top', fontWeight: 500 },
  // Prose wraps between words; only unbroken identifiers break anywhere.
  value: { overflowWrap: 'anywhere' },
}));

const Section = ({
  title,
  empty,
  children,
}: {
  title: string;
  empty?: string;
  children?: ReactNode;
}) => {
  const classes = useStyles();
  return (
    <section className={classes.section} aria-label={title}>
      <Typography variant="h6" component="h3" gutterBottom>
        {title}
      </Typography>
      {children ?? (
        <Typography variant="body2" color="textSecondary">
          {empty}
        </Typography>
      )}
    </section>
  );
};

const Fields = ({ rows }: { rows: Array<[string, ReactNode]> }) => {
  const classes = useStyles();
  const shown = rows.filter(
    ([, value]) => value !== undefined && value !== null && value !== '',
  );
  return (
    <Table size="small">
      <TableBody>
        {shown.map(([label, value]) => (
          <TableRow key={label}>
            <TableCell
              component="th"
              scope="row"
              role="rowheader"
              className={classes.label}
            >
              {label}
            </TableCell>
            <TableCell className={classes.value}>{value}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

const list = (values: string[]) =>
  values.length > 0 ? values.join(', ') : undefined;

const Details = ({ details }: { details: ModelVersionDetails }) => {
  const classes = useStyles();
  return (
    <>
      <Section title="Registration">
        <Fields
          rows={[
            ['ARN', <CopyableText value={details.arn} label="ARN" />],
            ['Description', details.description],
            ['Package status', details.packageStatus],
            ['Created', formatDateTime(details.createdAt)],
            ['Created by', details.createdBy],
            ['Last modified', formatDateTime(details.lastModifiedAt)],
            ['Last modified by', details.lastModifiedBy],
            ['Approval description', details.approvalDescription],
            ['Domain', details.domain],
            ['Task', details.task],
            [
              'Sample payload',
              details.samplePayloadUrl && (
                <CopyableText
                  value={details.samplePayloadUrl}
                  label="sample payload URL"
                />
              ),
            ],
          ]}
        />
      </Section>
      <Section title="Model lifecycle" empty="No lifecycle stage is recorded.">
        {details.modelLifeCycle && (
          <Fields
            rows={[
              ['Stage', details.modelLifeCycle.stage],
              ['Stage status', details.modelLifeCycle.stageStatus],
              ['Stage description', details.modelLifeCycle.stageDescription],
            ]}
          />
        )}
      </Section>
      <Section title="Containers" empty="No inference containers.">
        {details.containers.length > 0 && (
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>Image</TableCell>
                <TableCell>Model data</TableCell>
                <TableCell>Framework</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {details.containers.map((container, index) => (
                <TableRow key={index}>
                  <TableCell>
                    {container.image ? (
                      <CopyableText
                        value={container.image}
                        label={`image of container ${index + 1}`}
                      />
                    ) : (
                      '—'
                    )}
                    {container.imageDigest && (
                      <Typography
                        variant="caption"
                        display="block"
                        className={classes.value}
                      >
                        {container.imageDigest}
                      </Typography>
                    )}
                    {Object.entries(container.environment ?? {}).map(
                      ([name, value]) => (
                        <Typography
                          key={name}
                          variant="caption"
                          display="block"
                          className={classes.value}
                        >
                          {name}={value}
                        </Typography>
                      ),
                    )}
                  </TableCell>
                  <TableCell>
                    {container.modelDataUrl ? (
                      <CopyableText
                        value={container.modelDataUrl}
                        label={`model data of container ${index + 1}`}
                      />
                    ) : (
                      '—'
                    )}
                  </TableCell>
                  <TableCell>
                    {[container.framework, container.frameworkVersion]
                      .filter(Boolean)
                      .join(' ') || '—'}
                    {container.nearestModelName && (
                      <Typography variant="caption" display="block">
                        Nearest model: {container.nearestModelName}
                      </Typography>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Section>
      <Section title="Inference">
        <Fields
          rows={[
            ['Real-time instance types', list(details.realtimeInstanceTypes)],
            [
              'Batch transform instance types',
              list(details.transformInstanceTypes),
            ],
            ['Content types', list(details.supportedContentTypes)],
            ['Response MIME types', list(details.supportedResponseMimeTypes)],
          ]}
        />
      </Section>
      <Section title="Metrics" empty="No numeric metrics.">
        {Object.keys(details.metrics).length > 0 && (
          <Fields
            rows={Object.entries(details.metrics)
              .sort(([a], [b]) => compareMetricNames(a, b))
              .map(([name, value]) => [
                name,
                `${formatMetric(value)} (${
                  METRIC_SOURCE_LABELS[
                    details.metricSources?.[name] ?? 'metadata'
                  ]
                })`,
              ])}
          />
        )}
      </Section>
      <Section title="Metrics reports" empty="No metrics reports are attached.">
        {details.metricsReports.length > 0 && (
          <>
            {details.metricsReports.map(report => (
              <ModelReportView key={report.kind} report={report} />
            ))}
          </>
        )}
      </Section>
      <Section title="Model card">
        <ModelCardView card={details.modelCard} />
      </Section>
      <Section title="Lineage">
        <LineageView lineage={details.lineage} />
      </Section>
      <Section title="Customer metadata" empty="No customer metadata.">
        {Object.keys(details.customerMetadata).length > 0 && (
          <Fields
            rows={Object.entries(details.customerMetadata).sort(([a], [b]) =>
              a.localeCompare(b),
            )}
          />
        )}
      </Section>
    </>
  );
};

/**
 * Props of {@link ModelVersionDrawer}.
 */
export interface ModelVersionDrawerProps {
  /**
   * The number of the version to show; the drawer is closed while undefined.
   * It need not be among the loaded versions (a shared link to an old one).
   */
  version?: number;
  groupArn: string;
  groupName: string;
  /**
   * The version's approval status as the list knows it: shown at once, and
   * a change (after an approval) reloads the details.
   */
  approvalStatus?: ModelApprovalStatus;
  onClose: () => void;
}

const DrawerBody = ({
  details: { value, loading, error, retry },
}: {
  details: ReturnType<typeof useModelVersionDetails>;
}) => {
  if (loading && !value) {
    return <Progress />;
  }
  if (error) {
    return (
      <Box>
        <ResponseErrorPanel error={error} />
        <Button color="primary" onClick={retry}>
          Retry
        </Button>
      </Box>
    );
  }
  return value ? <Details details={value} /> : null;
};

/**
 * Everything the registry knows about one version: containers and images,
 * metrics reports, customer metadata, approval, lifecycle.
 */
export const ModelVersionDrawer = ({
  version,
  groupArn,
  groupName,
  approvalStatus,
  onClose,
}: ModelVersionDrawerProps) => {
  const classes = useStyles();
  const titleId = 'sagemaker-version-drawer-title';
  // A change of status (an approval) reloads the details.
  const details = useModelVersionDetails(groupArn, version, approvalStatus);
  const status = approvalStatus ?? details.value?.approvalStatus;
  return (
    <Drawer
      anchor="right"
      open={version !== undefined}
      onClose={onClose}
      classes={{ paper: classes.paper }}
      PaperProps={{ role: 'dialog', 'aria-labelledby': titleId } as object}
    >
      {version !== undefined && (
        <>
          <div className={classes.header}>
            <Typography
              id={titleId}
              variant="h5"
              component="h2"
              className={classes.title}
            >
              Version {version} of {groupName}
            </Typography>
            {status && <ApprovalStatus status={status} />}
            <IconButton aria-label="Close details" onClick={onClose}>
              <CloseIcon />
            </IconButton>
          </div>
          <DrawerBody details={details} />
        </>
      )}
    </Drawer>
  );
};
