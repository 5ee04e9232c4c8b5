import { ClassicLevel } from 'classic-level';
import type { DeadLetter } from '@dotpha/kernel';
import type { DeadLetterLog } from './memory-read-model-store';

/** Dead letters of the one-process mode on local disk (LevelDB), each write synced. */
export class LevelDeadLetterLog implements DeadLetterLog {
  private constructor(private readonly db: ClassicLevel<string, DeadLetter>) {}

  static async open(location: string): Promise<LevelDeadLetterLog> {
    const db = new ClassicLevel<string, DeadLetter>(location, { valueEncoding: 'json' });
    await db.open();
    return new LevelDeadLetterLog(db);
  }

  async loadAll(): Promise<DeadLetter[]> {
    return this.db.values().all();
  }

  async save(id: string, letter: DeadLetter): Promise<void> {
    await this.db.put(id, letter, { sync: true });
  }

  async remove(id: string): Promise<void> {
    await this.db.del(id, { sync: true });
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
