// @ts-check

/**
 * A deployment's lease names the worker holding it, so that a replica whose
 * lease ran out (and was taken over by another) finds out when it next renews,
 * instead of renewing the other's lease and following the deployment twice.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sagemaker_deployments', table => {
    table
      .string('claimed_by', 64)
      .nullable()
      .comment(
        'The worker holding the lease until claimed_until; null when free',
      );
  });
};

/**
 * Rolling back keeps the leases' expiry times and forgets their holders.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sagemaker_deployments', table => {
    table.dropColumn('claimed_by');
  });
};
