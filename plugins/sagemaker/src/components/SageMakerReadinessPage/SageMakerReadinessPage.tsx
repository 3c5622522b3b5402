import {
  Content,
  CopyTextButton,
  EmptyState,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { Box, Button, Grid, Typography } from '@material-ui/core';
import { sageMakerReadinessReadPermission } from '@internal/backstage-plugin-sagemaker-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sageMakerApiRef } from '../../api';
import { ReadinessChecks, ReadinessStatusLabel } from '../ReadinessChecks';

const GeneratedPolicies = () => {
  const api = useApi(sageMakerApiRef);
  const policies = useAsyncRetry(() => api.getOrgPolicies(), [api]);
  if (policies.loading) {
    return <Progress />;
  }
  if (policies.error) {
    return <ResponseErrorPanel error={policies.error} />;
  }
  return (
    <Grid container spacing={2}>
      {policies.value!.policies.map(policy => {
        const text = JSON.stringify(policy.document, null, 2);
        return (
          <Grid item xs={12} md={6} key={policy.id}>
            <InfoCard
              title={policy.title}
              subheader={`Goes in ${policy.where}`}
            >
              <CopyTextButton
                text={text}
                tooltipText="Policy copied"
                aria-label={`Copy ${policy.title}`}
              />
              <Box
                component="pre"
                aria-label={policy.title}
                style={{
                  fontSize: '0.75rem',
                  whiteSpace: 'pre-wrap',
                  overflowWrap: 'anywhere',
                }}
              >
                {text}
              </Box>
            </InfoCard>
          </Grid>
        );
      })}
      {policies.value!.cloudFormation.map(({ accountId, template }) => (
        <Grid item xs={12} md={6} key={accountId}>
          <InfoCard title={`CloudFormation for account ${accountId}`}>
            <CopyTextButton
              text={JSON.stringify(template, null, 2)}
              tooltipText="Template copied"
              aria-label={`Copy the CloudFormation template for account ${accountId}`}
            />
          </InfoCard>
        </Grid>
      ))}
    </Grid>
  );
};

/**
 * The organisation-wide readiness page for platform admins: every configured
 * account and target, every annotated group, each check with its fix, and
 * the policies to apply.
 */
export const SageMakerReadinessPage = () => {
  const api = useApi(sageMakerApiRef);
  const [fresh, setFresh] = useState(false);
  const [showPolicies, setShowPolicies] = useState(false);
  const report = useAsyncRetry(
    () => api.getOrgReadiness({ fresh }),
    [api, fresh],
  );

  let content: JSX.Element;
  if (report.loading) {
    content = <Progress />;
  } else if (report.error) {
    content =
      (report.error as ResponseError).statusCode === 403 ? (
        <EmptyState
          missing="info"
          title={`You need the ${sageMakerReadinessReadPermission.name} permission`}
          description="The readiness of every account and target is for platform admins. An entity's own readiness shows in its deploy dialog."
        />
      ) : (
        <ResponseErrorPanel error={report.error} />
      );
  } else {
    const { accounts, pairs, awsCalls, generatedAt } = report.value!;
    content = (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <Typography variant="body2">
            Checked {new Date(generatedAt).toLocaleString()} with{' '}
            {awsCalls.total} AWS calls (facts read earlier are cached).
          </Typography>
          <Button
            size="small"
            color="primary"
            onClick={() => (fresh ? report.retry() : setFresh(true))}
          >
            Check again
          </Button>
          <Button
            size="small"
            color="primary"
            onClick={() => setShowPolicies(s => !s)}
          >
            {showPolicies ? 'Hide' : 'Show'} the policies to apply
          </Button>
        </Grid>
        {showPolicies && (
          <Grid item xs={12}>
            <GeneratedPolicies />
          </Grid>
        )}
        <Grid item xs={12}>
          <InfoCard title="Accounts">
            <ReadinessChecks checks={accounts} />
          </InfoCard>
        </Grid>
        {pairs.map(pair => {
          const ok = pair.checks.filter(c => c.status === 'ok').length;
          return (
            <Grid item xs={12} lg={6} key={`${pair.groupArn}|${pair.target}`}>
              <InfoCard
                title={
                  <>
                    <ReadinessStatusLabel status={pair.status} />{' '}
                    {pair.groupArn.split('/').pop()} → {pair.targetTitle}
                  </>
                }
                subheader={`${ok} of ${pair.checks.length} checks ok · ${pair.groupArn}`}
              >
                <ReadinessChecks checks={pair.checks} showOk={false} />
                {ok === pair.checks.length && (
                  <Typography variant="body2">Ready to deploy.</Typography>
                )}
              </InfoCard>
            </Grid>
          );
        })}
      </Grid>
    );
  }
  return (
    <Page themeId="tool">
      <Header
        title="SageMaker readiness"
        subtitle="What a cross-account deploy needs, for every account, group and target"
      />
      <Content>{content}</Content>
    </Page>
  );
};
