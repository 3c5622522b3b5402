import { Typography, TypographyProps, makeStyles } from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  // The theme's error.main is too light for small text on white (axe
  // color-contrast); the dark shade keeps the colour and reaches 4.5:1.
  root: { color: theme.palette.error.dark },
}));

/** An AWS error or failure reason, in the error colour, readable. */
export const ErrorText = (props: Omit<TypographyProps, 'color'>) => {
  const classes = useStyles();
  return <Typography {...props} className={classes.root} />;
};
