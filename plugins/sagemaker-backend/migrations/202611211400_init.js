// @ts-check

/**
 * History events (append-only, hash-chained) and deployments.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('sagemaker_history_events', table => {
    table.comment(
      'Append-only, hash-chained history of approvals and deployments',
    );
    table.bigInteger('seq').primary().notNullable();
    table.string('at', 32).notNullable().comment('ISO 8601');
    table.string('actor', 512).notNullable();
    table.string('action', 32).notNullable();
    table.string('outcome', 32).notNullable();
    table.string('source', 32).notNullable();
    table.string('entity_ref', 512).notNullable();
    table.string('group_arn', 2048).nullable();
    table.string('version_arn', 2048).nullable();
    table.integer('version').nullable();
    table.string('target', 64).nullable();
    table.string('account_id', 12).nullable();
    table.string('region', 32).nullable();
    table.string('endpoint_name', 64).nullable();
    table.string('deployment_id', 64).nullable();
    table.text('comment').nullable();
    table.string('aws_error_code', 256).nullable();
    table.text('aws_error_message').nullable();
    table.string('aws_request_id', 256).nullable();
    table
      .string('dedupe_key', 512)
      .nullable()
      .unique()
      .comment('Set by the sync so that a change is recorded once');
    // A chain cannot fork: two appends that saw the same tail collide here.
    table.string('prev_hash', 64).notNullable().unique();
    table.string('hash', 64).notNullable();
    table.index(['entity_ref', 'seq'], 'sagemaker_history_entity_idx');
    table.index(['at'], 'sagemaker_history_at_idx');
  });

  await knex.schema.createTable('sagemaker_deployments', table => {
    table.comment('Deployments of model versions to target endpoints');
    table.string('id', 64).primary().notNullable();
    table.string('requested_by', 512).notNullable();
    table.string('idempotency_key', 128).nullable();
    table.string('request_hash', 64).notNullable();
    table.string('entity_ref', 512).notNullable();
    table.string('group_arn', 2048).notNullable();
    table.string('version_arn', 2048).notNullable();
    table.integer('version').notNullable();
    table.string('target', 64).notNullable();
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table.string('endpoint_name', 64).notNullable();
    table.string('instance_type', 64).notNullable();
    table.integer('instance_count').notNullable();
    table.string('mode', 16).notNullable();
    table.string('status', 16).notNullable();
    table.string('phase', 32).notNullable();
    table.string('endpoint_status', 32).nullable();
    table.string('model_name', 64).nullable();
    table.string('endpoint_config_name', 64).nullable();
    table.string('error_code', 256).nullable();
    table.text('error_message').nullable();
    table.string('error_request_id', 256).nullable();
    // account:region:endpoint while in progress, null after: at most one
    // deployment in flight per endpoint.
    table.string('active_endpoint', 128).nullable().unique();
    table.string('claimed_until', 32).nullable();
    table.string('created_at', 32).notNullable();
    table.string('updated_at', 32).notNullable();
    table.unique(['requested_by', 'idempotency_key'], {
      indexName: 'sagemaker_deployments_idempotency_idx',
    });
    table.index(
      ['entity_ref', 'created_at'],
      'sagemaker_deployments_entity_idx',
    );
    table.index(['status'], 'sagemaker_deployments_status_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sagemaker_deployments');
  await knex.schema.dropTable('sagemaker_history_events');
};
