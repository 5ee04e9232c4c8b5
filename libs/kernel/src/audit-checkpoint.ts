import { type KeyObject, createHash, createPublicKey, sign, verify } from 'crypto';
import canonicalize from 'canonicalize';

/**
 * Signed checkpoints of an event store (issue 12): a Merkle root over every stream head, signed
 * with the instance's Ed25519 key and published, so that the record cannot be shortened, or a
 * stream removed, without a holder of an earlier checkpoint noticing. The tree is RFC 6962's
 * (Certificate Transparency): leaves hashed with a 0x00 prefix, nodes with 0x01, the left subtree
 * the largest power of two; a proof of inclusion is its audit path (RFC 9162 §2.1.3).
 */
export interface StreamHead {
  readonly streamId: string;
  /** The stream's last position. */
  readonly position: number;
  /** The hash of the event at that position. */
  readonly hash: string;
}

export interface UnsignedCheckpoint {
  readonly instance: string;
  /** The service whose store it covers. */
  readonly service: string;
  /** 1, 2, … per store. */
  readonly sequence: number;
  readonly streams: number;
  /** Merkle tree hash (hex) over the heads ordered by stream id. */
  readonly root: string;
  readonly issuedAt: string;
}

export interface AuditCheckpoint extends UnsignedCheckpoint {
  readonly keyId: string;
  /** Ed25519 signature (base64url) over the canonical JSON (RFC 8785) of the unsigned fields. */
  readonly signature: string;
}

export interface InclusionProof {
  readonly checkpoint: AuditCheckpoint;
  readonly head: StreamHead;
  /** The head's place among the checkpoint's heads, ordered by stream id. */
  readonly index: number;
  /** Audit path, hex, from the leaf up. */
  readonly path: readonly string[];
}

const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export const compareStreamIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function leafHash(head: StreamHead): Buffer {
  return sha256(LEAF, Buffer.from(canonicalize({ streamId: head.streamId, position: head.position, hash: head.hash }) ?? '', 'utf8'));
}

const largestPowerOfTwoBelow = (n: number) => 2 ** Math.floor(Math.log2(n - 1));

function treeHash(leaves: readonly Buffer[], from: number, to: number): Buffer {
  const n = to - from;
  if (n === 0) return sha256();
  if (n === 1) return leaves[from];
  const k = largestPowerOfTwoBelow(n);
  return sha256(NODE, treeHash(leaves, from, from + k), treeHash(leaves, from + k, to));
}

/** The Merkle tree hash of heads (any order: they are sorted by stream id first). */
export function merkleRoot(heads: readonly StreamHead[]): string {
  const leaves = sortHeads(heads).map(leafHash);
  return treeHash(leaves, 0, leaves.length).toString('hex');
}

export function sortHeads(heads: readonly StreamHead[]): StreamHead[] {
  return [...heads].sort((a, b) => compareStreamIds(a.streamId, b.streamId));
}

function auditPath(leaves: readonly Buffer[], index: number, from: number, to: number): Buffer[] {
  const n = to - from;
  if (n <= 1) return [];
  const k = largestPowerOfTwoBelow(n);
  return index - from < k
    ? [...auditPath(leaves, index, from, from + k), treeHash(leaves, from + k, to)]
    : [...auditPath(leaves, index, from + k, to), treeHash(leaves, from, from + k)];
}

/** The audit path of one stream's head among `heads`, or null when the stream is not among them. */
export function inclusionPath(heads: readonly StreamHead[], streamId: string): { index: number; head: StreamHead; path: string[] } | null {
  const sorted = sortHeads(heads);
  const index = sorted.findIndex((h) => h.streamId === streamId);
  if (index < 0) return null;
  const leaves = sorted.map(leafHash);
  return { index, head: sorted[index], path: auditPath(leaves, index, 0, leaves.length).map((b) => b.toString('hex')) };
}

/** RFC 9162 §2.1.3.2: the root an audit path leads to, or null when the path cannot fit the tree. */
export function rootFromPath(head: StreamHead, index: number, size: number, path: readonly string[]): string | null {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leafHash(head);
  for (const hex of path) {
    if (sn === 0 || !/^[0-9a-f]{64}$/.test(hex)) return null;
    const p = Buffer.from(hex, 'hex');
    if (fn % 2 === 1 || fn === sn) {
      r = sha256(NODE, p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = sha256(NODE, r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r.toString('hex') : null;
}

const unsignedPart = (c: UnsignedCheckpoint): UnsignedCheckpoint => ({
  instance: c.instance,
  service: c.service,
  sequence: c.sequence,
  streams: c.streams,
  root: c.root,
  issuedAt: c.issuedAt,
});
const signedBytes = (c: UnsignedCheckpoint) => Buffer.from(canonicalize(unsignedPart(c)) ?? '', 'utf8');

/** A short, stable name of a public key: base64url of the SHA-256 of its DER form, first 16 characters. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url').slice(0, 16);
}

export function signCheckpoint(unsigned: UnsignedCheckpoint, privateKey: KeyObject): AuditCheckpoint {
  const publicKey = createPublicKey(privateKey);
  return { ...unsignedPart(unsigned), keyId: keyIdOf(publicKey), signature: sign(null, signedBytes(unsigned), privateKey).toString('base64url') };
}

export function checkpointSignatureValid(checkpoint: AuditCheckpoint, publicKey: KeyObject): boolean {
  try {
    return keyIdOf(publicKey) === checkpoint.keyId && verify(null, signedBytes(checkpoint), publicKey, Buffer.from(checkpoint.signature, 'base64url'));
  } catch {
    return false;
  }
}

/**
 * What an outside verifier (another agency holding the published checkpoint and the instance's
 * public key, without the database) checks: the signature, then that the head's audit path leads
 * to the signed root.
 */
export function verifyInclusion(proof: InclusionProof, publicKey: KeyObject): { readonly ok: boolean; readonly reason?: string } {
  if (!checkpointSignatureValid(proof.checkpoint, publicKey)) return { ok: false, reason: 'the checkpoint is not signed by this key' };
  const root = rootFromPath(proof.head, proof.index, proof.checkpoint.streams, proof.path);
  if (root !== proof.checkpoint.root) return { ok: false, reason: 'the audit path does not lead to the signed root' };
  return { ok: true };
}

/** A checkpoint with the heads it was computed over, as the store keeps it. */
export interface CheckpointRecord {
  readonly checkpoint: AuditCheckpoint;
  readonly heads: readonly StreamHead[];
}
