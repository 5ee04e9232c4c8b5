// `npm run console:api`: the OpenAPI document of the one-process host (the five services, the
// host's own routes and the console's sign-in list), built in this process on an embedded store
// in a temporary directory and written to the file named (stdout without one). Nothing is left
// listening; the console's API types are generated from it (apps/console/src/api/schema.d.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { configFromEnv, createServiceApp } from '@dotpha/service-runtime';
import { registerConsole } from './console';
import { allServices } from './services';

async function main(out: string | undefined): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dotpha-openapi-'));
  const config = { ...configFromEnv({ DOTPHA_DATA_DIR: dataDir }), log: undefined };
  const { app } = await createServiceApp('Đột Phá', [...Object.values(allServices), registerConsole], config);
  try {
    await app.listen(0, '127.0.0.1');
    const response = await fetch(`${await app.getUrl()}/api/docs-json`.replace('[::1]', '127.0.0.1'));
    if (!response.ok) throw new Error(`GET /api/docs-json answered ${response.status}`);
    const text = `${JSON.stringify(await response.json(), null, 2)}\n`;
    if (out) {
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, text);
    }
    else process.stdout.write(text);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main(process.argv[2]).catch((error) => {
  process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
