import type { AddressClass } from './classify';

/** Raised when a connection would reach a non-public address; `code` mimics a socket errno. */
export class EgressBlockedError extends Error {
  readonly code = 'EADDRNOTALLOWED';

  constructor(
    readonly hostname: string,
    readonly address: string,
    readonly addressClass: AddressClass,
  ) {
    super(
      hostname === address
        ? `Refusing to connect to ${address}: ${addressClass} address`
        : `Refusing to connect to ${hostname} (${address}): ${addressClass} address`,
    );
    this.name = 'EgressBlockedError';
  }
}
