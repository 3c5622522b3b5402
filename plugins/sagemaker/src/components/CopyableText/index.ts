export { CopyableText } from './CopyableText';
