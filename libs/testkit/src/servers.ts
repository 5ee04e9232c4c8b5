/**
 * Where the real servers are: `npm test` (test/infra/run-tests.mjs) starts them once per run and
 * passes their addresses in the environment. Integration tests fail loudly without them.
 */
export function testServers(): { kafkaBrokers: string[]; kafkaKind: string; mongoUrl: string; mongoKind: string } {
  const { DOTPHA_KAFKA_BROKERS, DOTPHA_MONGO_URL, DOTPHA_KAFKA_KIND, DOTPHA_MONGO_KIND } = process.env;
  if (!DOTPHA_KAFKA_BROKERS || !DOTPHA_MONGO_URL) {
    throw new Error(
      'integration tests need real servers: run them through `npm test`, or start `npm run infra:up` and export what it prints',
    );
  }
  return {
    kafkaBrokers: DOTPHA_KAFKA_BROKERS.split(','),
    kafkaKind: DOTPHA_KAFKA_KIND ?? 'unknown',
    mongoUrl: DOTPHA_MONGO_URL,
    mongoKind: DOTPHA_MONGO_KIND ?? 'unknown',
  };
}

/** A database name unique to this test file and process, so parallel jest workers never share one. */
export function uniqueName(base: string): string {
  return `${base}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
}
