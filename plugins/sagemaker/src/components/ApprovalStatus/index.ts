export { ApprovalStatus } from './ApprovalStatus';
