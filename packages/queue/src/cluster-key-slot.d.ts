/** The slot hashing ioredis itself routes Cluster commands by (the package ships no types; its module.exports is the function). */
declare module 'cluster-key-slot' {
  function generate(key: string): number;
  export = generate;
}
