// An agency's table of one province's public proposals:
//   PROVINCE=hcm DOTPHA_KAFKA_BROKERS=... [DOTPHA_KAFKA_SASL_USERNAME=... DOTPHA_KAFKA_SASL_PASSWORD=...] npm run subscriber
import { startSubscriber } from './subscriber';

async function main(): Promise<void> {
  const { DOTPHA_KAFKA_SASL_USERNAME: username, DOTPHA_KAFKA_SASL_PASSWORD: password } = process.env;
  const { app } = await startSubscriber({
    province: process.env.PROVINCE ?? 'hcm',
    brokers: (process.env.DOTPHA_KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    sasl: username && password ? { mechanism: 'scram-sha-512', username, password } : undefined,
    groupId: process.env.GROUP_ID ?? 'subscriber-proposals',
  });
  await app.listen(Number(process.env.PORT ?? 3200), '127.0.0.1');
  process.stdout.write(`[subscriber] the table at ${await app.getUrl()}/proposals\n`);
}

void main();
