import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  stringifyEntityRef,
  CompoundEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ModelPackageGroupArn,
  SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION,
  getModelPackageGroupArnValues,
  parseModelPackageGroupArn,
} from '@internal/backstage-plugin-sagemaker-common';
import { PrincipalEntityCache } from './PrincipalEntityCache';

/** An entity and the model package groups it names. */
export interface ResolvedEntity {
  entityRef: string;
  groups: ModelPackageGroupArn[];
}

/**
 * Loads an entity with the caller's own credentials (so an entity the caller
 * cannot see is a 404) and reads the groups its annotation names. The entity
 * is the only source of ARNs: nothing the request carries is trusted.
 */
export class EntityGroupResolver {
  constructor(
    private readonly catalog: CatalogService,
    private readonly accountIds: ReadonlySet<string>,
    private readonly entities = new PrincipalEntityCache(0),
  ) {}

  /** The entity's ref, if the caller can see the entity; 404 otherwise. */
  async requireVisible(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<string> {
    await this.load(ref, credentials);
    return stringifyEntityRef(ref);
  }

  async resolve(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<ResolvedEntity> {
    const entityRef = stringifyEntityRef(ref);
    const entity = await this.load(ref, credentials);
    const values = getModelPackageGroupArnValues(entity);
    if (values.length === 0) {
      throw new NotFoundError(
        `Entity ${entityRef} has no ${SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION} annotation`,
      );
    }
    const groups = values.map(value => {
      const arn = parseModelPackageGroupArn(value);
      if (!arn) {
        throw new InputError(
          `Entity ${entityRef} has a malformed ${SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION} annotation: '${value}' is not a model package group ARN (arn:aws:sagemaker:<region>:<account>:model-package-group/<name>)`,
        );
      }
      if (!this.accountIds.has(arn.accountId)) {
        throw new InputError(
          `Entity ${entityRef} names model package group ${arn.arn} in AWS account ${arn.accountId}, which is not configured under aws.accounts`,
        );
      }
      return arn;
    });
    return { entityRef, groups };
  }

  private async load(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ) {
    const entity = await this.entities.get(
      credentials,
      stringifyEntityRef(ref),
      () => this.catalog.getEntityByRef(ref, { credentials }),
    );
    if (!entity) {
      throw new NotFoundError(
        `Entity ${stringifyEntityRef(ref)} was not found in the catalog`,
      );
    }
    return entity;
  }

  /** Picks one of the entity's groups; any group it does not name is refused. */
  static pick(entity: ResolvedEntity, groupArn: string): ModelPackageGroupArn {
    const group = entity.groups.find(g => g.arn === groupArn);
    if (!group) {
      throw new NotFoundError(
        `Entity ${entity.entityRef} does not name model package group '${groupArn}'`,
      );
    }
    return group;
  }

  /**
   * The group a request names, or the entity's only group when it names
   * none; 400 when the entity names several and the request does not say.
   */
  static pickOrOnly(
    entity: ResolvedEntity,
    groupArn: string | undefined,
  ): ModelPackageGroupArn {
    if (groupArn) {
      return EntityGroupResolver.pick(entity, groupArn);
    }
    if (entity.groups.length > 1) {
      throw new InputError(
        `group: entity ${entity.entityRef} names ${entity.groups.length} model package groups; say which one`,
      );
    }
    return entity.groups[0];
  }
}
