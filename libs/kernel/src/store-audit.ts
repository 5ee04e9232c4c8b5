import type { KeyObject } from 'crypto';
import {
  type AuditCheckpoint, type CheckpointRecord, checkpointSignatureValid, merkleRoot, signCheckpoint, sortHeads,
} from './audit-checkpoint';
import type { EventStore } from './event-store';
import { type ChainBreak, verifyChain } from './hash-chain';

export type CheckpointFindingKind = 'missing' | 'shortened' | 'altered' | 'reordered';

/** A stream that no longer matches what the checkpoint signed. */
export interface CheckpointFinding {
  readonly streamId: string;
  readonly finding: CheckpointFindingKind;
  /** The position signed for the stream's head. */
  readonly signedPosition: number;
  /** The stream's last stored position now (0 when it is gone). */
  readonly storedPosition: number;
}

export interface StoreAudit {
  readonly ok: boolean;
  /** Streams read. */
  readonly streams: number;
  /** Streams whose hash chain does not recompute, with each break. */
  readonly broken: readonly { readonly streamId: string; readonly breaks: readonly ChainBreak[] }[];
  /** The latest checkpoint the store holds, and whether it is itself intact. */
  readonly checkpoint: (Pick<AuditCheckpoint, 'sequence' | 'issuedAt' | 'root' | 'streams' | 'keyId'> & { readonly headsMatchRoot: boolean; readonly signatureValid: boolean | null }) | null;
  readonly findings: readonly CheckpointFinding[];
}

export interface IssueOptions {
  readonly service: string;
  readonly privateKey: KeyObject;
  readonly now: Date;
  /** Streams left out of the tree (the checkpoints' own stream). */
  readonly exclude?: (streamId: string) => boolean;
}

/** Computes, signs and keeps a checkpoint over every stream head of the store. */
export async function issueCheckpoint(store: EventStore, options: IssueOptions): Promise<CheckpointRecord> {
  const heads = sortHeads((await store.streamHeads()).filter((h) => !options.exclude?.(h.streamId)));
  const previous = await store.latestCheckpoint();
  const checkpoint = signCheckpoint(
    { instance: store.instance, service: options.service, sequence: (previous?.checkpoint.sequence ?? 0) + 1, streams: heads.length, root: merkleRoot(heads), issuedAt: options.now.toISOString() },
    options.privateKey,
  );
  const record = { checkpoint, heads };
  await store.saveCheckpoint(record);
  return record;
}

/**
 * One pass over the whole store: every stream's hash chain, then every stream the latest
 * checkpoint signed compared with what is stored now, naming each one missing, shortened, altered
 * or reordered. A chain only proves itself; the checkpoint, signed and published outside the
 * database, is what shows a stream cut short or removed.
 */
export async function auditStore(store: EventStore, options: { readonly publicKey?: KeyObject } = {}): Promise<StoreAudit> {
  const record = await store.latestCheckpoint();
  const signed = new Map((record?.heads ?? []).map((h) => [h.streamId, h]));
  const broken: { streamId: string; breaks: readonly ChainBreak[] }[] = [];
  const findings: CheckpointFinding[] = [];
  let streams = 0;
  await store.scanStreams((streamId, stored) => {
    streams++;
    const report = verifyChain(streamId, stored);
    if (!report.ok) broken.push({ streamId, breaks: report.breaks });
    const head = signed.get(streamId);
    if (!head) return;
    signed.delete(streamId);
    const storedPosition = stored.reduce((max, e) => Math.max(max, e.streamPosition), 0);
    const atHead = stored.find((e) => e.streamPosition === head.position);
    const finding: CheckpointFindingKind | null = report.breaks.some((b) => b.reason === 'reordered' && b.position <= head.position)
      ? 'reordered'
      : storedPosition < head.position
        ? 'shortened'
        : !atHead || atHead.hash !== head.hash || report.breaks.some((b) => b.position <= head.position)
          ? 'altered'
          : null;
    if (finding) findings.push({ streamId, finding, signedPosition: head.position, storedPosition });
  });
  for (const head of signed.values()) findings.push({ streamId: head.streamId, finding: 'missing', signedPosition: head.position, storedPosition: 0 });
  const checkpoint = record
    ? {
        sequence: record.checkpoint.sequence,
        issuedAt: record.checkpoint.issuedAt,
        root: record.checkpoint.root,
        streams: record.checkpoint.streams,
        keyId: record.checkpoint.keyId,
        headsMatchRoot: record.heads.length === record.checkpoint.streams && merkleRoot(record.heads) === record.checkpoint.root,
        signatureValid: options.publicKey ? checkpointSignatureValid(record.checkpoint, options.publicKey) : null,
      }
    : null;
  findings.sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
  const ok = broken.length === 0 && findings.length === 0 && (checkpoint === null || (checkpoint.headsMatchRoot && checkpoint.signatureValid !== false));
  return { ok, streams, broken, checkpoint, findings };
}
