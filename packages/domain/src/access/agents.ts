import type { Agent, AgentKind, Db } from '@bellhop/db';
import { newId } from '@bellhop/events';

/**
 * The agent a domain call acts for. A platform agent (the booking platform's own backend) acts
 * for every host; a partner agent only for the hosts that granted it. `keyId` says which of its
 * keys made the call, for the record.
 */
export interface ActingAgent {
  id: string;
  kind: AgentKind;
  keyId?: string;
}

/** The operator (ADMIN_TOKEN, the CLI): acts for every host, as a platform agent does. */
export interface Operator {
  kind: 'operator';
}
export const OPERATOR: Operator = { kind: 'operator' };

/** Whoever a host-scoped domain call acts for. */
export type Actor = ActingAgent | Operator;

export const AGENT_KINDS: readonly AgentKind[] = ['partner', 'platform'];

export function createAgent(db: Db, input: { name: string; kind?: AgentKind }): Promise<Agent> {
  return db.agent.create({ data: { id: newId('agent'), name: input.name, kind: input.kind ?? 'partner' } });
}

export function findAgent(db: Db, id: string): Promise<Agent | null> {
  return db.agent.findUnique({ where: { id } });
}

export function listAgents(db: Db): Promise<Agent[]> {
  return db.agent.findMany({ orderBy: { id: 'asc' } });
}
