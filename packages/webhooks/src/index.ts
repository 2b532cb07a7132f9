export { generateSecret, decodeSecret } from './secret';
export { signPayload, legacySignature, buildSignatureHeaders, computeV1, computeV1a } from './sign';
export { generateSigningKeyPair, signingKey, publicKeyOf, verifyingKey } from './signing-key';
export type { SignInput, SignatureHeaders } from './sign';
export { verifyWebhook, verifyLegacySignature } from './verify';
export type { HeaderBag, VerifyKeys, VerifyOptions } from './verify';
export { WebhookVerificationError } from './errors';
