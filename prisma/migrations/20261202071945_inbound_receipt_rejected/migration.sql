-- AlterEnum
ALTER TYPE "InboundReceiptStatus" ADD VALUE 'rejected';
