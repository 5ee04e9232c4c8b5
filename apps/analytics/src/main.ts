// The central analytics service (issue 15): `npm run analytics` (README "The national view").
import { analyticsConfigFromEnv } from './config';
import { startAnalytics } from './analytics';

async function main(): Promise<void> {
  const config = analyticsConfigFromEnv();
  const analytics = await startAnalytics(config);
  await analytics.app.listen(config.port, config.host);
  process.stdout.write(`[analytics] national figures at ${await analytics.app.getUrl()}/api/v1/national/figures\n`);
  const stop = () => void analytics.close().then(() => process.exit(0), () => process.exit(1));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main().catch((error) => {
  process.stderr.write(`[analytics] could not start: ${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
