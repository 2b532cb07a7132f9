-- CreateEnum
CREATE TYPE "RecoveryStatus" AS ENUM ('queued', 'running', 'completed', 'failed');

-- AlterTable
ALTER TABLE "events" ADD COLUMN     "push_claimed_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "recoveries" (
    "id" TEXT NOT NULL,
    "subscription_id" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "status" "RecoveryStatus" NOT NULL DEFAULT 'queued',
    "resent" INTEGER NOT NULL DEFAULT 0,
    "capped" BOOLEAN NOT NULL DEFAULT false,
    "covered_until" TIMESTAMP(3),
    "last_delivery_id" TEXT,
    "error" TEXT,
    "request_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "recoveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "recoveries_status_created_at_idx" ON "recoveries"("status", "created_at");

-- CreateIndex
CREATE INDEX "recoveries_subscription_id_created_at_idx" ON "recoveries"("subscription_id", "created_at");

-- Before this release a re-run delivery job could record the same attempt twice. Keep the
-- first row written (ULID ids sort by time) of each (delivery, number) so the unique index
-- can be built, and delete the rest while the old index still serves the self-join.
-- Each statement commits on its own under the WASM engine (no table lock can span them), so
-- stop the previous release's workers before migrating: a re-run landing between this delete
-- and the index build would make the build fail.
DELETE FROM "delivery_attempts" later USING "delivery_attempts" kept
WHERE later."delivery_id" = kept."delivery_id" AND later."number" = kept."number" AND later."id" > kept."id";

-- CreateIndex
CREATE UNIQUE INDEX "delivery_attempts_delivery_id_number_key" ON "delivery_attempts"("delivery_id", "number");

-- DropIndex
DROP INDEX "delivery_attempts_delivery_id_number_idx";

-- AddForeignKey
ALTER TABLE "recoveries" ADD CONSTRAINT "recoveries_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "webhook_subscriptions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
