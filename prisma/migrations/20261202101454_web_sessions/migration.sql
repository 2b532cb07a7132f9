-- CreateEnum
CREATE TYPE "WebSessionKind" AS ENUM ('portal_link', 'portal', 'admin');

-- CreateTable
CREATE TABLE "web_sessions" (
    "token_hash" TEXT NOT NULL,
    "kind" "WebSessionKind" NOT NULL,
    "api_key_id" TEXT,
    "csrf_token" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "web_sessions_pkey" PRIMARY KEY ("token_hash")
);

-- CreateIndex
CREATE INDEX "web_sessions_expires_at_idx" ON "web_sessions"("expires_at");
