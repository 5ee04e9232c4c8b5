import { describeReadModelStoreContract } from '@dotpha/testkit';
import { MemoryReadModelStore } from './memory-read-model-store';

describeReadModelStoreContract('in memory', async () => ({ store: new MemoryReadModelStore(), dispose: async () => undefined }));
