// The emulator harness, for the integration tests of other packages (the
// catalog module): `@internal/backstage-plugin-sagemaker-backend/testUtils`.
export { startLocalEmulator } from './localEmulator';
export type { LocalEmulator } from './localEmulator';
export {
  clientInAccount,
  registerGroup,
  sageMakerInAccount,
} from './registrySeed';
export { awsConfig } from './fixtures';
