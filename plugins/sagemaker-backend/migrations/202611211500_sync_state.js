// @ts-check

/**
 * What the sync last saw in SageMaker, so that it records changes made
 * outside Backstage once.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('sagemaker_sync_state', table => {
    table.comment('Last status the sync saw per model version or endpoint');
    table
      .string('resource_key', 2048)
      .primary()
      .notNullable()
      .comment('A version ARN, or endpoint:<account>:<region>:<name>');
    table.string('status', 64).notNullable();
    table.string('seen_at', 32).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sagemaker_sync_state');
};
