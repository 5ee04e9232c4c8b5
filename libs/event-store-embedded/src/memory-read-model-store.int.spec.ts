import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { describeReadModelStoreContract } from '@dotpha/testkit';
import { LevelDeadLetterLog } from './level-dead-letter-log';
import { MemoryReadModelStore } from './memory-read-model-store';

// The one-process mode's read models: in memory (rebuilt at start-up), dead letters on local disk.
describeReadModelStoreContract('in memory, dead letters in LevelDB', async () => {
  const location = await mkdtemp(join(tmpdir(), 'dotpha-dead-letters-'));
  let log = await LevelDeadLetterLog.open(location);
  const store = await MemoryReadModelStore.withDeadLetterLog(log);
  return {
    store,
    // One process holds these read models: its writers share the one store.
    sibling: async () => store,
    reopen: async () => {
      await log.close();
      log = await LevelDeadLetterLog.open(location);
      return MemoryReadModelStore.withDeadLetterLog(log);
    },
    dispose: async () => {
      await log.close().catch(() => undefined);
      await rm(location, { recursive: true, force: true });
    },
  };
});
