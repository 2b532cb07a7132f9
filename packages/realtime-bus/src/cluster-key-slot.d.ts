/** The slot hashing ioredis itself routes Cluster commands by (the package ships no types). */
declare module 'cluster-key-slot' {
  export function generate(key: string): number;
}
