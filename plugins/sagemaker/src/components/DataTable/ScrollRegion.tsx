import { makeStyles } from '@material-ui/core';
import { MouseEvent, ReactNode } from 'react';

const useStyles = makeStyles({
  // Positioned, so that what is placed absolutely inside (the screen-reader
  // text of inactive actions) scrolls with the table instead of widening
  // the page.
  root: { overflowX: 'auto', position: 'relative' },
});

/**
 * Where a table scrolls sideways inside its card on a narrow window. It
 * takes focus, so the keyboard can scroll it too (axe's
 * scrollable-region-focusable).
 */
export const ScrollRegion = ({
  label,
  labelledBy,
  children,
}: {
  label?: string;
  labelledBy?: string;
  children: ReactNode;
}) => {
  const classes = useStyles();
  return (
    <div
      className={classes.root}
      role="region"
      aria-label={label}
      aria-labelledby={labelledBy}
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- axe's scrollable-region-focusable: the keyboard must reach what scrolls
      tabIndex={0}
    >
      {children}
    </div>
  );
};

/** A click on a control inside a row acts on the control, not the row. */
export function fromControl(event: MouseEvent): boolean {
  return Boolean(
    (event.target as HTMLElement).closest(
      'button, a, input, label, [role="button"]',
    ),
  );
}
