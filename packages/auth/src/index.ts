export { SCOPES, isScope, type Scope } from './scopes';
export { generateApiKeyToken, hashApiKeyToken, looksLikeApiKeyToken } from './api-key-token';
export { signHostToken, verifyHostToken, looksLikeJwt, InvalidHostTokenError } from './host-token';
export { signPortalLinkToken, verifyPortalLinkToken } from './portal-link-token';
export { safeEqual } from './constant-time';
export { bearerToken } from './bearer';
export { createSecretBox, type SecretBox } from './secret-box';
