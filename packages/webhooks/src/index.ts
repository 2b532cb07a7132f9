export { generateSecret, decodeSecret } from './secret';
export { signPayload, legacySignature, buildSignatureHeaders, computeV1 } from './sign';
export type { SignInput, SignatureHeaders } from './sign';
export { verifyWebhook, verifyLegacySignature } from './verify';
export type { HeaderBag, VerifyOptions } from './verify';
export { WebhookVerificationError } from './errors';
