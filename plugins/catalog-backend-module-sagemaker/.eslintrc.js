module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // The module reads aws.accounts and builds its SDK clients with the
    // SageMaker backend plugin's own config reader and client factory, so that
    // AWS clients are built in one place. Backstage would put those in a
    // `-node` library; until they move there, this package imports them from
    // @internal/backstage-plugin-sagemaker-backend (and its testUtils).
    '@backstage/no-mixed-plugin-imports': 'off',
  },
});
