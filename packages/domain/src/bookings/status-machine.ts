import type { BookingStatus } from '@bellhop/db';
import { conflict } from '@bellhop/errors';

/** The booking state machine: every allowed transition, in one table. */
export const BOOKING_TRANSITIONS: Record<BookingStatus, readonly BookingStatus[]> = {
  pending: ['confirmed', 'declined', 'cancelled', 'expired'],
  confirmed: ['started', 'cancelled'],
  started: ['completed'],
  declined: [],
  cancelled: [],
  expired: [],
  completed: [],
};

export function canTransition(from: BookingStatus, to: BookingStatus): boolean {
  return BOOKING_TRANSITIONS[from].includes(to);
}

/** 409 `invalid_transition` naming the transitions that are allowed from `from`. */
export function assertTransition(from: BookingStatus, to: BookingStatus): void {
  if (canTransition(from, to)) return;
  const allowed = BOOKING_TRANSITIONS[from];
  const hint = allowed.length ? `allowed: ${allowed.join(', ')}` : 'it is final';
  throw conflict(`A ${from} booking cannot become ${to} (${hint})`, 'invalid_transition', { from, to, allowed });
}
