import {
  CompoundEntityRef,
  getCompoundEntityRef,
} from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useMemo } from 'react';

/**
 * The current entity's ref, stable across renders while the entity is the
 * same, so that it can be a hook dependency.
 */
export function useEntityCompoundRef(): CompoundEntityRef {
  const { entity } = useEntity();
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  return useMemo(() => ({ kind, namespace, name }), [kind, namespace, name]);
}
