/** Redis names of the realtime bus, all under the deployment's key prefix. */
export const busKeys = (prefix: string) => {
  // A channel's slot (sharded pub/sub on a cluster) comes from the host id alone, whatever braces the prefix has.
  const channelPrefix = prefix.replace(/[{}]/g, '');
  return {
    /** Per-host stream: the replay history for Last-Event-ID. */
    hostStream: (hostId: string) => `${prefix}:rt:host:${hostId}`,
    /** A host's live messages: only the realtime processes holding one of its streams subscribe. */
    hostChannel: (hostId: string) => `${channelPrefix}:rt:live:{${hostId}}`,
    /** A pull subscription's "new messages" signal: only the realtime processes holding one of its streams subscribe. */
    pullChannel: (subscriptionId: string) => `${channelPrefix}:rt:pull:{${subscriptionId}}`,
    isPullChannel: (channel: string) => channel.startsWith(`${channelPrefix}:rt:pull:`),
    /** Announcements to every connected host on every realtime process. */
    broadcastChannel: `${prefix}:rt:broadcast`,
  };
};
