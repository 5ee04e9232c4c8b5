import type { mongo } from 'mongoose';
import type { CheckpointRecord, RecordedEvent, StreamHead } from '@dotpha/kernel';

/** What the audit reads of a commit document (commit-store.ts keeps the whole shape). */
export interface StoredCommit {
  _id: string;
  streamId: string;
  from: number;
  to: number;
  events: RecordedEvent[];
  lastHash: string;
}

/** Every stream's last commit, from one query over the commits (heads are commit boundaries). */
export async function streamHeadsOf(commits: mongo.Collection<StoredCommit>): Promise<StreamHead[]> {
  const heads = new Map<string, StreamHead>();
  const cursor = commits.find({}, { projection: { streamId: 1, to: 1, lastHash: 1 } });
  for await (const commit of cursor) {
    const known = heads.get(commit.streamId);
    if (!known || known.position < commit.to) heads.set(commit.streamId, { streamId: commit.streamId, position: commit.to, hash: commit.lastHash });
  }
  return [...heads.values()];
}

/**
 * One pass over the commits in `_id` order (`<stream>|<from>`): each stream's commits come
 * together, since every id of a stream starts with the same `<stream>|`. Within a stream they are
 * put in the order readers follow them (by first position), and their events kept as stored.
 */
export async function scanCommits(commits: mongo.Collection<StoredCommit>, visit: (streamId: string, stored: readonly RecordedEvent[]) => void | Promise<void>): Promise<void> {
  let current: string | null = null;
  let group: StoredCommit[] = [];
  const flush = async () => {
    if (current === null) return;
    group.sort((a, b) => a.from - b.from);
    await visit(current, group.flatMap((c) => (Array.isArray(c.events) ? c.events : [])));
  };
  for await (const commit of commits.find({}).sort({ _id: 1 })) {
    if (commit.streamId !== current) {
      await flush();
      current = commit.streamId;
      group = [];
    }
    group.push(commit);
  }
  await flush();
}

const HEADS_PER_DOCUMENT = 2_000;
const pad = (n: number) => String(n).padStart(12, '0');

/**
 * Checkpoints in two collections: the heads in documents of at most 2,000 (a province's tens of
 * thousands of streams do not fit one document), written first; then the checkpoint itself,
 * naming how many, so a checkpoint is never seen before all its heads are stored.
 */
export class CheckpointStorage {
  private readonly checkpoints: mongo.Collection<{ _id: string; record: CheckpointRecord['checkpoint']; parts: number }>;
  private readonly heads: mongo.Collection<{ _id: string; heads: StreamHead[] }>;

  constructor(db: mongo.Db, prefix: string) {
    this.checkpoints = db.collection(`${prefix}checkpoints`);
    this.heads = db.collection(`${prefix}checkpoint_heads`);
  }

  async save(record: CheckpointRecord): Promise<void> {
    const sequence = pad(record.checkpoint.sequence);
    const parts: { _id: string; heads: StreamHead[] }[] = [];
    for (let i = 0; i < record.heads.length; i += HEADS_PER_DOCUMENT) {
      parts.push({ _id: `${sequence}|${parts.length}`, heads: record.heads.slice(i, i + HEADS_PER_DOCUMENT).map(({ streamId, position, hash }) => ({ streamId, position, hash })) });
    }
    if (parts.length) await this.heads.insertMany(parts, { ordered: false });
    await this.checkpoints.insertOne({ _id: sequence, record: record.checkpoint, parts: parts.length });
  }

  async latest(): Promise<CheckpointRecord | null> {
    const [latest] = await this.checkpoints.find({}).sort({ _id: -1 }).limit(1).toArray();
    if (!latest) return null;
    const parts = await Promise.all(Array.from({ length: latest.parts }, (_, i) => this.heads.findOne({ _id: `${latest._id}|${i}` })));
    return { checkpoint: latest.record, heads: parts.flatMap((part) => part?.heads ?? []) };
  }
}
