import { z } from 'zod';
import { NOTIFICATION_TYPES } from '@bellhop/domain';

export const notificationType = z.enum(NOTIFICATION_TYPES);
export const notificationPriority = z.enum(['high', 'medium', 'low']);
const httpUrl = z
  .string()
  .max(2048)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http or https URL');
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const createNotificationBody = z.object({
  type: notificationType,
  title: z.string().trim().min(1).max(255),
  message: z.string().trim().min(1).max(5000),
  booking_id: z.string().max(64).optional(),
  property_id: z.string().max(64).optional(),
  priority: notificationPriority.default('medium'),
  action_required: z.boolean().default(false),
  action_url: httpUrl.optional(),
  expires_at: z.coerce
    .date()
    .refine((d) => d.getTime() > Date.now(), 'must be in the future')
    .optional(),
});

export const listQuery = z.object({
  unread_only: flag.optional(),
  type: notificationType.optional(),
  priority: notificationPriority.optional(),
  since: z.coerce.date().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(64).optional(),
});

export const notificationSchema = z.object({
  id: z.string(),
  host_id: z.string(),
  type: notificationType,
  title: z.string(),
  message: z.string(),
  booking_id: z.string().nullable(),
  property_id: z.string().nullable(),
  priority: notificationPriority,
  action_required: z.boolean(),
  action_url: z.string().nullable(),
  read: z.boolean(),
  read_at: z.string().nullable(),
  expires_at: z.string().nullable(),
  created_at: z.string(),
});

export const countsSchema = z.object({
  unread: z.number().int(),
  total: z.number().int(),
  by_priority: z.object({ high: z.number().int(), medium: z.number().int(), low: z.number().int() }),
});

export const EXAMPLE_NOTIFICATION = {
  id: 'ntf_01JD0SA7W3YV8N2K',
  host_id: 'hst_01JD0S7QZ4',
  type: 'guest_message',
  title: 'New guest message',
  message: 'Can we check in at 2pm?',
  booking_id: 'bkg_01JD0S8M2Q',
  property_id: null,
  priority: 'medium',
  action_required: false,
  action_url: null,
  read: false,
  read_at: null,
  expires_at: null,
  created_at: '2026-11-23T10:00:00.000Z',
};
