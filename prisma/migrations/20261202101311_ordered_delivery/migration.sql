-- CreateEnum
CREATE TYPE "DeliveryOrdering" AS ENUM ('none', 'booking');

-- AlterTable
ALTER TABLE "webhook_subscriptions" ADD COLUMN     "ordering" "DeliveryOrdering" NOT NULL DEFAULT 'none';

-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "held_at" TIMESTAMP(3),
ADD COLUMN     "ordered_booking_id" TEXT;

-- CreateIndex
CREATE INDEX "events_booking_id_created_at_idx" ON "events"("booking_id", "created_at");

-- CreateIndex
CREATE INDEX "deliveries_ordered_booking_id_subscription_id_idx" ON "deliveries"("ordered_booking_id", "subscription_id");
