// @ts-check

/**
 * A deployment remembers whether an agent requested it for the user
 * (through the plugin's actions), so that its outcome, recorded later by
 * the executor, carries the same history source as its request.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sagemaker_deployments', table => {
    table
      .string('requested_via', 32)
      .nullable()
      .comment(
        "'agent' when an agent requested it for the user; null for the portal and the HTTP API",
      );
  });
};

/**
 * Rolling back records the outcomes of agents' deployments with the source
 * `backstage`; their requests keep `agent`.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sagemaker_deployments', table => {
    table.dropColumn('requested_via');
  });
};
