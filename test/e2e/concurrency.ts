import { randomUUID } from 'crypto';
import { startedPlatform } from './client';
import type { Platform } from './platform';

/**
 * Concurrent edits made visible to clients (issue 12, RFC 9110), written once and run in both
 * modes: a read answers the stream position as ETag, a command with a stale If-Match is refused
 * with 412 and writes nothing, and of two clients deciding on the same version one wins.
 */
export function describeConcurrency(mode: string, start: () => Promise<Platform>): void {
  describe(`Concurrent edits over HTTP: ${mode}`, () => {
    const started = startedPlatform(start);
    const PROPOSER = 'u-ccvc-chuyen-vien';
    const draft = (title: string) => ({ title, field: 'administrative-reform', problemType: 'unregulated', isScheme: false, report: {} });
    const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${started.platform.url('proposals')}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${await started.platform.token(PROPOSER)}`, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, etag: response.headers.get('etag'), body: (await response.json().catch(() => undefined)) as any };
    };
    const readable = async (id: string) => {
      for (let i = 0; i < 300; i++) {
        const reply = await send('GET', `/proposals/${id}`);
        if (reply.status === 200) return reply;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`proposal ${id} never showed`);
    };

    it('a read answers the stream position as ETag; a command with a stale If-Match gets 412 and writes nothing', async () => {
      const created = await send('POST', '/proposals', draft('Đề xuất (phiên bản)'));
      expect(created.status).toBe(201);
      const id = created.body.proposalId as string;
      expect(created.etag).toBe('"1"');
      expect((await readable(id)).etag).toBe('"1"');
      const revised = await send('PUT', `/proposals/${id}`, draft('Đề xuất (sửa lần 1)'), { 'if-match': '"1"' });
      expect([revised.status, revised.etag]).toEqual([200, '"2"']);
      const stale = await send('PUT', `/proposals/${id}`, draft('Đề xuất (sửa trên bản cũ)'), { 'if-match': '"1"' });
      expect([stale.status, stale.body.code]).toEqual([412, 'PRECONDITION_FAILED']);
      const malformed = await send('PUT', `/proposals/${id}`, draft('Đề xuất (sai ETag)'), { 'if-match': 'version one' });
      expect(malformed.status).toBe(400);
      const history = await send('GET', `/proposals/${id}/history`);
      expect(history.body.map((e: { data: { title: string } }) => e.data.title)).toEqual(['Đề xuất (phiên bản)', 'Đề xuất (sửa lần 1)']);
      // Without If-Match the command is decided on whatever the stream holds, as before.
      expect((await send('PUT', `/proposals/${id}`, draft('Đề xuất (sửa lần 2)'))).status).toBe(200);
    });

    it('of two clients deciding on the same version, one wins and the other gets 412: the server never applies a revision on one its client did not see', async () => {
      const id = (await send('POST', '/proposals', draft(`Đề xuất ${randomUUID().slice(0, 4)}`))).body.proposalId as string;
      const { etag } = await readable(id);
      const replies = await Promise.all(['A', 'B', 'C'].map((who) => send('PUT', `/proposals/${id}`, draft(`Bản của ${who}`), { 'if-match': etag! })));
      expect(replies.map((r) => r.status).sort()).toEqual([200, 412, 412]);
      const history = await send('GET', `/proposals/${id}/history`);
      expect(history.body).toHaveLength(2);
    });
  });
}
