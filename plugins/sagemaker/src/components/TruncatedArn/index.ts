export { TruncatedArn } from './TruncatedArn';
