/** Redis names of the realtime bus, all under the deployment's key prefix. */
export const busKeys = (prefix: string) => ({
  /** Per-host stream: the replay history for Last-Event-ID. */
  hostStream: (hostId: string) => `${prefix}:rt:host:${hostId}`,
  /** One pub/sub channel for every host; each realtime process routes by hostId. */
  hostsChannel: `${prefix}:rt:hosts`,
  /** Announcements to every connected host on every realtime process. */
  broadcastChannel: `${prefix}:rt:broadcast`,
});
