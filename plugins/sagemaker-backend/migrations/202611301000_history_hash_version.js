// @ts-check

/**
 * Each history event names how its hash was computed, so that the algorithm
 * can change without breaking the verification of older events: version 1
 * is the unkeyed SHA-256 of the first release, which every existing row
 * used; version 2 is HMAC-SHA256 with the signing key named in key_id.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sagemaker_history_events', table => {
    table
      .integer('hash_version')
      .notNullable()
      .defaultTo(1)
      .comment('1: SHA-256, unkeyed; 2: HMAC-SHA256 with the key in key_id');
    table
      .string('key_id', 64)
      .nullable()
      .comment('The signing key of a keyed hash version');
  });
};

/**
 * Rolling back forgets how each row was hashed: the first release then
 * reports the first signed row as changed.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sagemaker_history_events', table => {
    table.dropColumn('key_id');
    table.dropColumn('hash_version');
  });
};
