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
