-- Agents own API keys, subscriptions and idempotency keys, and hosts grant partner agents.
-- Hand-edited from the generated diff so existing rows carry over: every existing API key
-- becomes its own partner agent (agt_ + the key's ULID) and keeps what it owned.

-- CreateEnum
CREATE TYPE "AgentKind" AS ENUM ('partner', 'platform');

-- CreateTable
CREATE TABLE "agents" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "AgentKind" NOT NULL DEFAULT 'partner',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "host_agent_grants" (
    "host_id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "host_agent_grants_pkey" PRIMARY KEY ("host_id","agent_id")
);

-- Existing keys → partner agents
INSERT INTO "agents" ("id", "name", "kind", "created_at")
SELECT 'agt_' || substr("id", 5), "name", 'partner', "created_at" FROM "api_keys";

-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN "agent_id" TEXT;
UPDATE "api_keys" SET "agent_id" = 'agt_' || substr("id", 5);
ALTER TABLE "api_keys" ALTER COLUMN "agent_id" SET NOT NULL;

-- Subscriptions move from their key to its agent
ALTER TABLE "webhook_subscriptions" DROP CONSTRAINT "webhook_subscriptions_owner_key_id_fkey";
DROP INDEX "webhook_subscriptions_owner_key_id_created_at_idx";
ALTER TABLE "webhook_subscriptions" ADD COLUMN "owner_agent_id" TEXT;
UPDATE "webhook_subscriptions" s SET "owner_agent_id" = k."agent_id" FROM "api_keys" k WHERE k."id" = s."owner_key_id";
ALTER TABLE "webhook_subscriptions" ALTER COLUMN "owner_agent_id" SET NOT NULL;
ALTER TABLE "webhook_subscriptions" DROP COLUMN "owner_key_id";

-- Events: the recording agent or channel connection owns the idempotency key, audiences are agents
DROP INDEX "events_source_key_id_idempotency_key_key";
ALTER TABLE "events" ADD COLUMN "audience_agent_id" TEXT,
ADD COLUMN "source_agent_id" TEXT,
ADD COLUMN "source_connection_id" TEXT;
UPDATE "events" e SET "source_agent_id" = k."agent_id" FROM "api_keys" k WHERE k."id" = e."source_key_id";
UPDATE "events" e SET "audience_agent_id" = k."agent_id" FROM "api_keys" k WHERE k."id" = e."audience_key_id";
UPDATE "events" e SET "source_connection_id" = (
    SELECT c."id" FROM "inbound_connections" c
    WHERE c."host_id" = e."host_id" AND e."idempotency_key" LIKE c."provider" || ':%'
    ORDER BY c."created_at" LIMIT 1)
WHERE e."source_key_id" IS NULL AND e."idempotency_key" IS NOT NULL;
ALTER TABLE "events" DROP COLUMN "audience_key_id";

-- Channel records are keyed within their host
DROP INDEX "properties_source_channel_external_id_key";
DROP INDEX "bookings_source_channel_external_id_key";

-- CreateIndex
CREATE INDEX "host_agent_grants_agent_id_host_id_idx" ON "host_agent_grants"("agent_id", "host_id");

-- CreateIndex
CREATE INDEX "api_keys_agent_id_idx" ON "api_keys"("agent_id");

-- CreateIndex
CREATE UNIQUE INDEX "properties_host_id_source_channel_external_id_key" ON "properties"("host_id", "source_channel", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "bookings_host_id_source_channel_external_id_key" ON "bookings"("host_id", "source_channel", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "events_source_agent_id_idempotency_key_key" ON "events"("source_agent_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "events_source_connection_id_idempotency_key_key" ON "events"("source_connection_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "webhook_subscriptions_owner_agent_id_created_at_idx" ON "webhook_subscriptions"("owner_agent_id", "created_at");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "host_agent_grants" ADD CONSTRAINT "host_agent_grants_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "host_agent_grants" ADD CONSTRAINT "host_agent_grants_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "webhook_subscriptions_owner_agent_id_fkey" FOREIGN KEY ("owner_agent_id") REFERENCES "agents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
