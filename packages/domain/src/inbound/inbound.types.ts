import type { BookingStatus } from '@bellhop/db';

export const INBOUND_PROVIDERS = ['hostaway', 'hospitable'] as const;
export type InboundProvider = (typeof INBOUND_PROVIDERS)[number];

export interface NormalisedProperty {
  externalId: string;
  title?: string;
  address?: string | null;
}

export interface NormalisedReservation {
  externalId: string;
  externalStatus: string;
  status: BookingStatus;
  guestName: string;
  guestEmail: string | null;
  guestPhone: string | null;
  guests: number;
  /** Calendar days, YYYY-MM-DD. */
  checkIn: string;
  checkOut: string;
  /** Exact to the cent, from the channel's own figures: a normaliser never defaults one. */
  totalAmount: number;
  currency: string;
  property: NormalisedProperty;
}

/** What one channel webhook means, provider-independent. */
export type InboundChange =
  | { kind: 'reservation'; reservation: NormalisedReservation }
  | {
      kind: 'property';
      action: 'created' | 'updated' | 'deleted' | 'merged';
      property: NormalisedProperty;
      mergedInto?: string;
    }
  | {
      kind: 'message';
      externalId: string;
      reservationExternalId: string | null;
      conversationId: string | null;
      sender: string;
      body: string;
    }
  | { kind: 'review'; externalId: string; reservationExternalId: string | null; rating: number | null; body: string }
  | { kind: 'disconnected' }
  | { kind: 'ignored'; reason: string };
