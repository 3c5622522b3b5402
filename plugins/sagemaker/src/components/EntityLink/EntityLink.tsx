import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({ short: { whiteSpace: 'nowrap' } });

function parseRef(ref: string): CompoundEntityRef | undefined {
  try {
    return parseEntityRef(ref);
  } catch {
    return undefined;
  }
}

/**
 * A link to an entity's page, named as Backstage names it (the default kind
 * and namespace left out), with the full ref in its title; or the ref as
 * text when it is not one.
 */
export const EntityLink = ({
  entityRef,
  userOnly,
}: {
  entityRef: string;
  /** Link only user refs (an actor may be an AWS identity). */
  userOnly?: boolean;
}) => {
  const classes = useStyles();
  const entityRoute = useRouteRef(entityRouteRef);
  const parsed = parseRef(entityRef);
  if (
    !parsed ||
    (userOnly && parsed.kind.toLocaleLowerCase('en-US') !== 'user')
  ) {
    return <>{entityRef}</>;
  }
  return (
    <Link
      to={entityRoute(entityRouteParams(parsed))}
      title={entityRef}
      className={classes.short}
    >
      {humanizeEntityRef(parsed, {
        defaultKind: userOnly ? 'user' : 'component',
      })}
    </Link>
  );
};
