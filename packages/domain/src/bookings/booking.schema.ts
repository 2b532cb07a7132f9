import { z } from 'zod';

/** A calendar date YYYY-MM-DD that exists (2026-02-30 does not). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'is not a real date',
  );

export const money = z
  .number()
  .min(0)
  .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, 'must have at most 2 decimals')
  .refine((n) => n < 1e10, 'is too large');

export const createBookingSchema = z
  .object({
    property_id: z.string().min(1).max(64),
    guest_name: z.string().trim().min(1).max(200),
    guest_email: z.string().email().max(320),
    guest_phone: z.string().trim().min(3).max(40).optional(),
    check_in: isoDate,
    check_out: isoDate,
    guests: z.number().int().min(1).max(100),
    total_amount: money,
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO currency code')
      .default('USD'),
    special_requests: z.string().max(2000).optional(),
  })
  .strict()
  .refine((b) => b.check_out > b.check_in, { path: ['check_out'], message: 'must be after check_in' });

export type CreateBookingInput = z.output<typeof createBookingSchema>;

export const changeStatusSchema = z
  .object({
    status: z.enum(['pending', 'confirmed', 'declined', 'cancelled', 'expired', 'started', 'completed']),
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .strict();

/** A date column value for a YYYY-MM-DD string, and back. */
export const toDateColumn = (s: string) => new Date(`${s}T00:00:00.000Z`);
export const fromDateColumn = (d: Date) => d.toISOString().slice(0, 10);
