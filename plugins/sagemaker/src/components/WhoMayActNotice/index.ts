export { WhoMayActNotice } from './WhoMayActNotice';
