export { sagemakerPlugin as default } from './plugin';
