import { Grid, Typography } from '@material-ui/core';
import { Skeleton } from '@material-ui/lab';

/**
 * What the versions will look like while they load: a sentence saying what
 * is being read (announced to screen readers) and the outline of a few
 * cards, rather than a blank tab.
 */
export const LoadingVersions = ({ message }: { message: string }) => (
  <div aria-busy="true">
    <Typography
      variant="body2"
      color="textSecondary"
      role="status"
      gutterBottom
    >
      {message}
    </Typography>
    <Grid container spacing={2} aria-hidden="true">
      {[0, 1, 2].map(index => (
        <Grid item xs={12} md={6} xl={4} key={index}>
          <Skeleton variant="rect" height={180} />
        </Grid>
      ))}
    </Grid>
  </div>
);
