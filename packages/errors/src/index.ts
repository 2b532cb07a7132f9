export {
  DomainError,
  invalid,
  unauthenticated,
  forbidden,
  notFound,
  conflict,
  unsupported,
  type DomainErrorKind,
} from './domain-error';
export { isDependencyOutage } from './dependency-outage';
