import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import type { InboundReceipt } from '@bellhop/db';
import {
  hospitableSignature,
  processInboundReceipt,
  type DomainContext,
  type InboundCredentials,
} from '@bellhop/domain';

const FIXTURES = path.resolve(__dirname, '../../../../../packages/domain/src/inbound/fixtures');

/** A realistic provider payload from packages/domain/src/inbound/fixtures, as raw text. */
export const fixture = (provider: string, name: string) =>
  readFileSync(path.join(FIXTURES, provider, `${name}.json`), 'utf8');

/** Posts a raw body to one connection the way its provider does: Basic auth (Hostaway) or a Signature (Hospitable). */
export function sendTo(app: Express, connection: InboundCredentials, raw: string) {
  const post = request(app)
    .post(`/api/v1/inbound/${connection.provider}/${connection.id}`)
    .set('Content-Type', 'application/json');
  if (connection.provider === 'hostaway')
    return post
      .set('Authorization', `Basic ${Buffer.from(`${connection.login}:${connection.password}`).toString('base64')}`)
      .send(raw);
  return post.set('Signature', hospitableSignature(raw, connection.signing_secret!)).send(raw);
}

/** Receives a body on a connection, then runs the worker's processing of it, as the inbound queue would. */
export async function deliver(
  ctx: DomainContext,
  app: Express,
  connection: InboundCredentials,
  raw: string,
): Promise<InboundReceipt> {
  const res = await sendTo(app, connection, raw);
  expect(res.status).toBe(200);
  expect(res.body.data.status).toBe('accepted');
  return processInboundReceipt(ctx, res.body.data.receipt_id);
}
