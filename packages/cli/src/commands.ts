import { SCOPES } from '@bellhop/auth/scopes';
import type { Command } from './command';

/** Command words → usage and handler; "api-key create" is two words. Handlers load on use. */
export const COMMANDS: Record<string, Command> = {
  'agent create': {
    usage:
      'agent create --name NAME [--platform]   (a partner agent; --platform: the booking platform itself, acting for every host)',
    load: async () => (await import('./commands/agent.js')).agentCreate,
  },
  'agent list': { usage: 'agent list', load: async () => (await import('./commands/agent.js')).agentList },
  'api-key create': {
    usage:
      `api-key create (--agent AGENT_ID | --name NAME [--platform]) [--scopes ${SCOPES.join(',')}] [--rate-limit 6000/min]   ` +
      '(all scopes when omitted; rate limit: requests to /api/v1/external, N/min or N/s, default 600/min for a partner, 300000/min for the platform)',
    load: async () => (await import('./commands/api-key.js')).apiKeyCreate,
  },
  'api-key list': {
    usage: 'api-key list [--agent AGENT_ID]',
    load: async () => (await import('./commands/api-key.js')).apiKeyList,
  },
  'api-key limit': {
    usage:
      "api-key limit ID --rate-limit 6000/min|100/s|default   (changes a key's rate limit; default: its agent kind's)",
    load: async () => (await import('./commands/api-key.js')).apiKeyLimit,
  },
  'api-key revoke': {
    usage: 'api-key revoke ID',
    load: async () => (await import('./commands/api-key.js')).apiKeyRevoke,
  },
  'host create': {
    usage: 'host create --name NAME --email EMAIL [--auto-approve]',
    load: async () => (await import('./commands/host.js')).hostCreate,
  },
  'host-token': {
    usage: 'host-token HOST_ID [--ttl 1h]',
    load: async () => (await import('./commands/host.js')).hostToken,
  },
  grant: {
    usage: 'grant --host HOST_ID --agent AGENT_ID   (the host lets a partner agent act for it)',
    load: async () => (await import('./commands/agent.js')).grant,
  },
  revoke: {
    usage:
      "revoke --host HOST_ID --agent AGENT_ID   (takes the grant back; the agent's unsent deliveries about the host are cancelled)",
    load: async () => (await import('./commands/agent.js')).revoke,
  },
  'demo seed': { usage: 'demo seed', load: async () => (await import('./commands/demo.js')).demoSeed },
  listen: {
    usage:
      'listen --port P [--secret whsec_…]   (local webhook receiver on 127.0.0.1; Ctrl-C stops)\n' +
      '  listen --pull SUBSCRIPTION_ID [--key API_KEY] [--secret whsec_…]   ' +
      "(streams a pull subscription's messages, prints and acknowledges each; key: --key or BELLHOP_API_KEY)",
    load: async () => (await import('./commands/listen.js')).listen,
  },
  tail: {
    usage: "tail HOST_ID   (prints the host's live SSE stream; Ctrl-C stops)",
    load: async () => (await import('./commands/tail.js')).tail,
  },
  'subscriptions list': {
    usage: "subscriptions list   (every agent's webhook subscriptions)",
    load: async () => (await import('./commands/subscriptions.js')).subscriptionsList,
  },
  'deliveries replay': {
    usage:
      'deliveries replay --subscription ID --since ISO [--wait SECONDS]   ' +
      '(re-sends failed/cancelled deliveries created since then as a background recovery, and waits for it: 60 s by default)',
    load: async () => (await import('./commands/deliveries.js')).deliveriesReplay,
  },
  'inbound create': {
    usage: 'inbound create --provider hostaway|hospitable --host HOST_ID [--secret SECRET] [--json]',
    load: async () => (await import('./commands/inbound.js')).inboundCreate,
  },
};
