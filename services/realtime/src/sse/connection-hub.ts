import { sseConnections } from '@bellhop/metrics';
import type { SseConnection } from './sse-connection';

/** This process's open host streams, by host; `others` counts its other streams (agents' pull streams) toward the cap. */
export class ConnectionHub {
  private readonly byHost = new Map<string, Set<SseConnection>>();
  private count = 0;

  constructor(
    readonly maxConnections: number,
    readonly maxPerHost: number,
    private readonly others: () => number = () => 0,
  ) {}

  get size(): number {
    return this.count;
  }
  /** SSE_MAX_CONNECTIONS counts every stream of the process, host and pull alike. */
  isFull(): boolean {
    return this.count + this.others() >= this.maxConnections;
  }
  isHostFull(hostId: string): boolean {
    return (this.byHost.get(hostId)?.size ?? 0) >= this.maxPerHost;
  }

  add(connection: SseConnection): void {
    const set = this.byHost.get(connection.hostId) ?? new Set();
    if (!set.has(connection)) this.count += 1;
    sseConnections.set(this.count);
    set.add(connection);
    this.byHost.set(connection.hostId, set);
  }

  /** False when the connection was not here (already removed). */
  remove(connection: SseConnection): boolean {
    const set = this.byHost.get(connection.hostId);
    if (!set?.delete(connection)) return false;
    this.count -= 1;
    sseConnections.set(this.count);
    if (set.size === 0) this.byHost.delete(connection.hostId);
    return true;
  }

  forHost(hostId: string): Iterable<SseConnection> {
    return this.byHost.get(hostId) ?? [];
  }

  *all(): Iterable<SseConnection> {
    for (const set of this.byHost.values()) yield* set;
  }

  /** Ends every stream (shutdown): clients reconnect to another process. */
  closeAll(): void {
    for (const connection of [...this.all()]) {
      connection.close();
      this.remove(connection);
    }
  }
}
