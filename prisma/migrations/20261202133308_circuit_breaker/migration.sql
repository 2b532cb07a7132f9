-- AlterTable
ALTER TABLE "webhook_subscriptions" ADD COLUMN     "breaker_enabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "breaker_failures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "breaker_opened_at" TIMESTAMP(3),
ADD COLUMN     "breaker_probe_at" TIMESTAMP(3),
ADD COLUMN     "breaker_probes" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "breaker_streak_since" TIMESTAMP(3),
ADD COLUMN     "breaker_threshold" INTEGER NOT NULL DEFAULT 10,
ADD COLUMN     "breaker_window_ms" INTEGER NOT NULL DEFAULT 300000;

-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "paused_at" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "webhook_subscriptions_breaker_probe_at_idx" ON "webhook_subscriptions"("breaker_probe_at");
