import { Chip } from '@material-ui/core';
import {
  lifecycleLabel,
  ModelLifeCycle,
} from '@internal/backstage-plugin-sagemaker-common';

/**
 * A version's ModelLifeCycle stage and status as a small chip, e.g.
 * `Stage: Production (Approved)`; nothing when no stage is set.
 */
export const LifecycleStage = ({ lifecycle }: { lifecycle?: ModelLifeCycle }) =>
  lifecycle ? (
    <Chip
      size="small"
      variant="outlined"
      label={`Stage: ${lifecycleLabel(lifecycle)}`}
      title={lifecycle.stageDescription}
    />
  ) : null;
