import { type ChildProcess, spawn } from 'child_process';
import { join } from 'path';
import { createInterface } from 'readline';
import { Kafka, type SASLOptions, logLevel } from 'kafkajs';

/** A SCRAM login as kafkajs takes it (`sasl`), and as DOTPHA_KAFKA_SASL_* give it to the services. */
export interface KafkaLogin {
  readonly mechanism: 'scram-sha-512';
  readonly username: string;
  readonly password: string;
}

/** The broker of test/infra/secure-kafka.mjs as a CommonJS (jest) test sees it. */
export interface SecureKafka {
  readonly brokers: string;
  /** The same broker over TLS (SASL_SSL listener): its address and the CA that signed its certificate; null without openssl. */
  readonly tls: { readonly brokers: string; readonly caFile: string; readonly ca: string } | null;
  readonly kind: string;
  /** The topic prefix its ACLs name. */
  readonly prefix: string;
  readonly admin: KafkaLogin;
  /**
   * One login per instance code and per reader (analytics, subscriber by default). Give kafkajs a copy
   * (`sasl: { ...credentials.hn }`): it stores its authenticator, bound to the password, on the object.
   */
  readonly credentials: Readonly<Record<string, KafkaLogin>>;
  readonly logFile: string;
  /** The services' environment for one user: DOTPHA_KAFKA_BROKERS and DOTPHA_KAFKA_SASL_*. */
  env(user: string): Record<string, string>;
  /** A kafkajs client logged in as one user ('admin' for the super user). */
  client(user: string): Kafka;
  /** Creates topics (3 partitions) as the super user; existing ones are left alone. */
  createTopics(topics: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

export interface SecureKafkaOptions {
  readonly instances?: readonly string[];
  readonly readers?: readonly string[];
  readonly prefix?: string;
}

/**
 * Starts the SASL/SCRAM + ACL broker (test/infra/secure-kafka.mjs) in a child process that owns it:
 * the broker stops with stop(), or when this process ends (the child's stdin closes).
 */
export async function startSecureKafka(options: SecureKafkaOptions = {}): Promise<SecureKafka> {
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'secure-kafka.mjs'), JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-8000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<Record<string, any>>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.includes('"event"')) return;
      lines.close();
      resolve(JSON.parse(line));
    });
    child.once('exit', (code) => reject(new Error(`the secure Kafka broker's process exited (${code}):\n${stderr}`)));
  });
  if (ready.event !== 'ready') throw new Error(`the secure Kafka broker did not start: ${ready.error}\n${stderr}`);
  const login = (user: string): KafkaLogin => {
    const found = user === 'admin' ? ready.admin : ready.credentials[user];
    if (!found) throw new Error(`no Kafka user '${user}'`);
    return found;
  };
  const client = (user: string) =>
    // A copy: kafkajs stores its authenticator (bound to the password) on the sasl object it is given.
    new Kafka({ clientId: `dotpha-test-${user}`, brokers: [ready.brokers], sasl: { ...login(user) } as SASLOptions, logLevel: logLevel.NOTHING, retry: { retries: 2 } });
  return {
    brokers: ready.brokers,
    tls: ready.tls,
    kind: ready.kind,
    prefix: ready.prefix,
    admin: ready.admin,
    credentials: ready.credentials,
    logFile: ready.logFile,
    env: (user) => {
      const { mechanism, username, password } = login(user);
      return { DOTPHA_KAFKA_BROKERS: ready.brokers, DOTPHA_KAFKA_SASL_MECHANISM: mechanism, DOTPHA_KAFKA_SASL_USERNAME: username, DOTPHA_KAFKA_SASL_PASSWORD: password };
    },
    client,
    createTopics: async (topics) => {
      const admin = client('admin').admin();
      await admin.connect();
      try {
        await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 3 })), waitForLeaders: true });
      } finally {
        await admin.disconnect();
      }
    },
    stop: async () => {
      child.stdin!.end();
      await exited;
    },
  };
}
