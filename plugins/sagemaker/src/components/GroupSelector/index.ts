export { GroupSelector } from './GroupSelector';
export type { GroupSelectorProps } from './GroupSelector';
