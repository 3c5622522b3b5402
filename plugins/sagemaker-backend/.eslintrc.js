module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // The reliability scenarios assert through scoreScenario, which records
    // the scenario's row for the summary table before it fails the test.
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'scoreScenario'] },
    ],
  },
});
