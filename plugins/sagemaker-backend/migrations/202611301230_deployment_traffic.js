// @ts-check

/**
 * A guarded update (blue/green or rolling) reports where its traffic
 * shifting is: the new fleet's VariantStatus from DescribeEndpoint's
 * PendingDeploymentSummary, kept as JSON while the deployment runs. A
 * rollback names the deployment it undoes.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sagemaker_deployments', table => {
    table
      .text('traffic')
      .nullable()
      .comment(
        'JSON {status, message, startedAt} of a guarded update in progress; null otherwise',
      );
    table
      .string('rollback_of', 64)
      .nullable()
      .comment('the deployment a rollback undoes; null for other deployments');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sagemaker_deployments', table => {
    table.dropColumn('traffic');
    table.dropColumn('rollback_of');
  });
};
