import os from 'os';
import path from 'path';
import { pathToFileURL } from 'url';
import { mongo } from 'mongoose';

/** The load average (1, 5, 15 min), to two decimals: what else ran beside a figure. */
export const loadAverage = () => os.loadavg().map((l) => Math.round(l * 100) / 100);

export interface Servers {
  readonly kafkaBrokers: string[];
  readonly kafkaKind: string;
  readonly mongoUrl: string;
  readonly mongoKind: string;
  /** Who started them: this run (startServers) or the environment. */
  readonly origin: string;
  stop(): Promise<void>;
}

const REPO = path.resolve(__dirname, '..', '..');

/**
 * The servers the tests use: test/infra/servers.mjs starts a real Kafka broker and FerretDB here
 * (or containers where Docker answers), unless DOTPHA_KAFKA_BROKERS and DOTPHA_MONGO_URL are set.
 */
export async function acquireServers(log: (message: string) => void): Promise<Servers> {
  const { DOTPHA_KAFKA_BROKERS, DOTPHA_MONGO_URL, DOTPHA_KAFKA_KIND, DOTPHA_MONGO_KIND } = process.env;
  if (DOTPHA_KAFKA_BROKERS && DOTPHA_MONGO_URL) {
    return {
      kafkaBrokers: DOTPHA_KAFKA_BROKERS.split(','),
      kafkaKind: DOTPHA_KAFKA_KIND ?? `Kafka at ${DOTPHA_KAFKA_BROKERS} (from DOTPHA_KAFKA_BROKERS)`,
      mongoUrl: DOTPHA_MONGO_URL,
      mongoKind: DOTPHA_MONGO_KIND ?? (await describeMongo(DOTPHA_MONGO_URL)),
      origin: 'given by DOTPHA_KAFKA_BROKERS / DOTPHA_MONGO_URL',
      stop: async () => undefined,
    };
  }
  const infra = await import(pathToFileURL(path.join(REPO, 'test', 'infra', 'servers.mjs')).href);
  const servers = await infra.startServers({ log: (m: string) => log(`[infra] ${m}`) });
  return {
    kafkaBrokers: String(servers.kafka.brokers).split(','),
    kafkaKind: servers.kafka.kind,
    mongoUrl: servers.mongo.url,
    mongoKind: servers.mongo.kind,
    origin: 'started by this run (test/infra/servers.mjs)',
    stop: () => servers.stop(),
  };
}

async function describeMongo(url: string): Promise<string> {
  const client = await mongo.MongoClient.connect(url, { serverSelectionTimeoutMS: 10_000 });
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    return info.ferretdbVersion ? `FerretDB ${info.ferretdbVersion}` : `MongoDB ${info.version}`;
  } finally {
    await client.close();
  }
}

export interface Machine {
  readonly cores: number;
  readonly cpu: string;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly loadAtStart: number[];
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAtStart: loadAverage(),
  };
}
