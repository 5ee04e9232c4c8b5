import { generateKeyPairSync } from 'crypto';
import {
  type StreamHead, checkpointSignatureValid, inclusionPath, merkleRoot, rootFromPath, signCheckpoint, verifyInclusion,
} from './audit-checkpoint';

const heads = (n: number): StreamHead[] => Array.from({ length: n }, (_, i) => ({ streamId: `s-${String(i).padStart(4, '0')}`, position: i + 1, hash: String(i % 10).repeat(64) }));
const keys = () => generateKeyPairSync('ed25519');

describe('audit checkpoints (issue 12)', () => {
  it('a proof of inclusion leads to the root for every stream of trees of every size up to 40', () => {
    for (let n = 1; n <= 40; n++) {
      const all = heads(n);
      const root = merkleRoot(all);
      for (const head of all) {
        const proof = inclusionPath(all, head.streamId)!;
        expect(rootFromPath(proof.head, proof.index, n, proof.path)).toBe(root);
      }
    }
  });

  it('the root does not depend on the order heads are given in, and changes with any head', () => {
    const all = heads(9);
    expect(merkleRoot([...all].reverse())).toBe(merkleRoot(all));
    expect(merkleRoot(all.map((h, i) => (i === 4 ? { ...h, position: h.position - 1 } : h)))).not.toBe(merkleRoot(all));
    expect(merkleRoot(all.slice(1))).not.toBe(merkleRoot(all));
  });

  it('a shortened head, another index or a wrong path does not lead to the root', () => {
    const all = heads(13);
    const proof = inclusionPath(all, 's-0005')!;
    const root = merkleRoot(all);
    expect(rootFromPath({ ...proof.head, position: proof.head.position - 1 }, proof.index, 13, proof.path)).not.toBe(root);
    expect(rootFromPath(proof.head, proof.index + 1, 13, proof.path)).not.toBe(root);
    expect(rootFromPath(proof.head, proof.index, 13, proof.path.slice(1))).not.toBe(root);
    expect(inclusionPath(all, 'nope')).toBeNull();
  });

  it('an outside verifier with the public key alone checks the signature and the path', () => {
    const { privateKey, publicKey } = keys();
    const all = heads(21);
    const checkpoint = signCheckpoint({ instance: 'tm', service: 'proposals', sequence: 3, streams: all.length, root: merkleRoot(all), issuedAt: '2026-12-01T00:00:00.000Z' }, privateKey);
    expect(checkpointSignatureValid(checkpoint, publicKey)).toBe(true);
    const path = inclusionPath(all, 's-0017')!;
    expect(verifyInclusion({ checkpoint, ...path }, publicKey)).toEqual({ ok: true });
    expect(verifyInclusion({ checkpoint: { ...checkpoint, root: merkleRoot(all.slice(1)) }, ...path }, publicKey).ok).toBe(false);
    expect(verifyInclusion({ checkpoint, ...path, head: { ...path.head, hash: 'f'.repeat(64) } }, publicKey)).toMatchObject({ ok: false, reason: /audit path/ });
    expect(verifyInclusion({ checkpoint, ...path }, keys().publicKey)).toMatchObject({ ok: false, reason: /not signed/ });
  });
});
