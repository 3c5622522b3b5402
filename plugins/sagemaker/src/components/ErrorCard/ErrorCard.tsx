import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { Button } from '@material-ui/core';

/** Props of {@link ErrorCard}. */
export interface ErrorCardProps {
  title: string;
  error: Error;
  onRetry: () => void;
}

/** A card that failed to load: the error as the backend gave it, and Retry. */
export const ErrorCard = ({ title, error, onRetry }: ErrorCardProps) => (
  <InfoCard
    title={title}
    action={
      <Button color="primary" onClick={onRetry}>
        Retry
      </Button>
    }
  >
    <ResponseErrorPanel error={error} />
  </InfoCard>
);
