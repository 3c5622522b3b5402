export { PermissionedButton } from './PermissionedButton';
