import { Writable } from 'stream';
import { trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { Kafka, logLevel } from 'kafkajs';
import { createLog, lineKind, withLogContext } from './logging';

/** A log writing into an array of parsed lines, on a clock the test moves. */
function capture(now: () => number = Date.now) {
  const lines: Record<string, any>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(text));
      done();
    },
  });
  return { lines, log: createLog({ service: 'proposals', instance: 'tm', destination, now }) };
}

describe('The JSON log of a service process (issue 17)', () => {
  it('writes one JSON object a line with time, level, service, instance, correlation id and consumer group', () => {
    const { lines, log } = capture();
    withLogContext({ correlationId: 'c-1', group: 'tm.proposals.projections' }, () => log('[proposals] relay: something failed'));
    log('plain line');
    expect(lines[0]).toMatchObject({ level: 'warn', service: 'proposals', instance: 'tm', component: 'proposals', msg: 'relay: something failed', correlationId: 'c-1', group: 'tm.proposals.projections' });
    expect(new Date(lines[0].time).toISOString()).toBe(lines[0].time);
    expect(lines[1]).toMatchObject({ level: 'info', msg: 'plain line' });
    expect(lines[1].correlationId).toBeUndefined();
  });

  it('names the trace and span a line was written in', async () => {
    const provider = new NodeTracerProvider();
    provider.register();
    try {
      const { lines, log } = capture();
      const ids = trace.getTracer('test').startActiveSpan('handling', (span) => {
        log('in a span');
        span.end();
        return span.spanContext();
      });
      log('outside');
      expect(lines[0]).toMatchObject({ traceId: ids.traceId, spanId: ids.spanId });
      expect(lines[1].traceId).toBeUndefined();
    } finally {
      await provider.shutdown();
    }
  });

  it('writes a database error in one line without its stack, and our own faults with theirs', () => {
    const { lines, log } = capture();
    const database = Object.assign(new Error('connection <monitor> to 127.0.0.1:27017 closed'), { name: 'MongoNetworkError', code: 'ECONNRESET' });
    log('unexpected error: MongoNetworkError', { err: database, level: 'error' });
    log('unexpected error: TypeError', { err: new TypeError('x is undefined'), level: 'error' });
    expect(lines[0].err).toEqual({ type: 'MongoNetworkError', message: database.message, code: 'ECONNRESET' });
    expect(lines[1].err.stack).toContain('TypeError: x is undefined');
  });

  it('a 20 s broker outage: kafkajs\'s own "Connection error" lines, with their fields, written once per window with the count of the rest', async () => {
    let clock = 0;
    const { lines, log } = capture(() => clock);
    // kafkajs's own log lines, as the bus's log creator gives them (a client of a port nothing listens on).
    const kafka = new Kafka({
      clientId: 'outage', brokers: ['127.0.0.1:1'], retry: { retries: 0 }, connectionTimeout: 200, logLevel: logLevel.ERROR,
      logCreator: () => ({ namespace, level, log: entry }) => {
        if (level > logLevel.ERROR) return;
        const { message, timestamp: _t, logger: _l, ...fields } = entry as { message: string; timestamp?: unknown; logger?: unknown };
        counting(message, { level: 'error', kafka: { namespace, ...fields } });
      },
    });
    let written = 0;
    const counting = (message: string, fields?: Record<string, unknown>) => {
      if (/Connection error/.test(message)) written++;
      log(message, fields);
    };
    const producer = kafka.producer();
    // Three tries per second for 20 s of the clock: 60 lines of the same kind as the outage wrote.
    for (let i = 0; i < 60; i++) {
      clock = i * 333;
      await producer.connect().catch(() => undefined);
    }
    const outage = lines.filter((l) => /Connection error/.test(l.msg));
    const kinds = new Set(outage.map((l) => lineKind(l.msg)));
    process.stdout.write(`[logging] a 20 s outage: kafkajs logged ${written} "Connection error" lines, ${outage.length} written (${kinds.size} kinds, one per 10 s each)\n`);
    expect(written).toBeGreaterThanOrEqual(60);
    expect(kinds.size).toBeLessThanOrEqual(2);
    // 20 s of the clock: two windows of 10 s, one line of each kind in each.
    expect(outage.length).toBe(2 * kinds.size);
    expect(outage[0]).toMatchObject({ level: 'error', kafka: { namespace: 'Connection', broker: '127.0.0.1:1', clientId: 'outage' } });
    expect(outage.filter((l) => l.repeated > 0).length).toBe(kinds.size);
    expect(lines.every((l) => l.service === 'proposals')).toBe(true);
  }, 60_000);
});
