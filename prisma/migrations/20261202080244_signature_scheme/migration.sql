-- CreateEnum
CREATE TYPE "SignatureScheme" AS ENUM ('v1', 'v1a', 'both');

-- AlterTable
ALTER TABLE "webhook_subscriptions" ADD COLUMN     "previous_signing_keys" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "signature_scheme" "SignatureScheme" NOT NULL DEFAULT 'v1',
ADD COLUMN     "signing_key_encrypted" TEXT,
ADD COLUMN     "signing_public_key" TEXT;
