import { Typography } from '@material-ui/core';
import {
  lifecycleLabel,
  ModelLifeCycle,
} from '@internal/backstage-plugin-sagemaker-common';

/**
 * A version's ModelLifeCycle stage and status as one line, e.g.
 * `Stage: Production (Approved)`, with the description on hover; nothing when
 * no stage is set. Plain text: a page shows it once per version.
 */
export const LifecycleStage = ({ lifecycle }: { lifecycle?: ModelLifeCycle }) =>
  lifecycle ? (
    <Typography
      variant="body2"
      color="textSecondary"
      title={lifecycle.stageDescription}
    >
      Stage: {lifecycleLabel(lifecycle)}
    </Typography>
  ) : null;
