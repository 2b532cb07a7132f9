// Filled in by the realtime issue: publish to a host's stream, channel and stream names.
export {};
