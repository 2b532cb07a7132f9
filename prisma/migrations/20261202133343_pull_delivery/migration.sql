-- CreateEnum
CREATE TYPE "DeliveryMode" AS ENUM ('push', 'pull');

-- AlterTable
ALTER TABLE "webhook_subscriptions" ADD COLUMN     "delivery" "DeliveryMode" NOT NULL DEFAULT 'push',
ADD COLUMN     "pull_acked_seq" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "pull_purged_seq" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "pull_seq" BIGINT NOT NULL DEFAULT 0,
ALTER COLUMN "webhook_url" DROP NOT NULL;

-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "pull_seq" BIGINT;

-- CreateIndex
CREATE UNIQUE INDEX "deliveries_subscription_id_pull_seq_key" ON "deliveries"("subscription_id", "pull_seq");

-- A push subscription has a URL, a pull subscription has none (Prisma does not model CHECK constraints).
ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "webhook_subscriptions_delivery_url_check"
  CHECK (("delivery" = 'push') = ("webhook_url" IS NOT NULL));
