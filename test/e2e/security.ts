import { type JsonWebKey, type KeyObject, createPublicKey, generateKeyPairSync, randomUUID } from 'crypto';
import { contractRegistry } from '@dotpha/contracts';
import { type AuditCheckpoint, type InclusionProof, type RecordedEvent, GENESIS_HASH, checkpointSignatureValid, verifyInclusion } from '@dotpha/kernel';
import { LocalIssuer } from '@dotpha/service-runtime';
import { signToken } from '@dotpha/testkit';
import { Caller, ok, request, until } from './client';
import type { Platform } from './platform';

/**
 * Identity, jurisdiction, instance isolation and the audit trail over HTTP (issue 4), written once
 * and run in both modes.
 */
export function describeSecurity(mode: string, start: () => Promise<Platform>): void {
  describe(`Security over HTTP: ${mode}`, () => {
    let platform: Platform;
    let as: (userId: string, role?: string) => Caller;
    let proposalId: string;
    const PROPOSER = 'u-ccvc-chuyen-vien';
    const OTHER_UNIT = ['u-stc-chuyen-vien', 'u-stc-giam-doc'];
    const draft = { title: 'Số hóa hồ sơ', field: 'administrative-reform', problemType: 'unregulated', isScheme: false, report: {} };

    const send = async (path: string, init: { method?: string; token?: string | null; body?: unknown } = {}) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (init.token !== null) headers.authorization = `Bearer ${init.token ?? (await platform.token(PROPOSER))}`;
      return request(`${platform.url('proposals')}/api/v1${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    };

    /** The platform's OpenAPI document: each process serves what it hosts (all five in one process, one each when distributed), so read them all. */
    const openApiDocument = async () => {
      const urls = [...new Set((['proposals', 'approvals', 'monitoring', 'evaluation', 'rewards'] as const).map((service) => platform.url(service)))];
      const documents = (await Promise.all(urls.map(async (url) => (await fetch(`${url}/api/docs-json`)).json()))) as any[];
      return {
        ...documents[0],
        paths: Object.assign({}, ...documents.map((d) => d.paths)),
        components: { ...documents[0].components, schemas: Object.assign({}, ...documents.map((d) => d.components.schemas)) },
      };
    };

    beforeAll(async () => {
      platform = await start();
      as = (userId, role) => new Caller(platform, userId, role);
      ({ proposalId } = ok(await as(PROPOSER).post('/proposals', draft), 201));
      await until(() => as(PROPOSER).get(`/proposals/${proposalId}`), (r) => r.status === 200, 'the draft to show');
    }, 180_000);
    afterAll(() => platform?.stop());

    it('refuses with 401 a missing token, a bad signature, an expired token, another issuer and another audience', async () => {
      const stranger = new LocalIssuer();
      const cases: [string, string | null][] = [
        ['no token', null],
        ['a token signed with another key', await stranger.token(PROPOSER)],
        ['an expired token', await signToken(platform.issuer, PROPOSER, { expiresInSeconds: -60 })],
        ["another issuer's token", await signToken(platform.issuer, PROPOSER, { issuer: 'https://sso.other-province.example' })],
        ['a token for another audience', await signToken(platform.issuer, PROPOSER, { audience: 'another-system' })],
        ['a token naming no user of the instance', await platform.issuer.token('u-nobody')],
        ['not a token at all', 'not.a.token'],
      ];
      for (const [what, token] of cases) {
        for (const [method, path, body] of [['GET', `/proposals/${proposalId}`, undefined], ['POST', '/proposals', draft]] as const) {
          const reply = await send(path, { method, token, body });
          expect([what, method, reply.status, reply.body?.code]).toEqual([what, method, 401, 'UNAUTHORIZED']);
        }
      }
      expect((await send(`/proposals/${proposalId}`)).status).toBe(200);
    });

    it("takes the actor from the token, never from the body", async () => {
      const forged = await send('/proposals', { method: 'POST', body: { ...draft, proposerId: 'u-ccvc-truong-phong', actor: { userId: 'u-ccvc-truong-phong', role: 'unit-head' } } });
      expect(forged.status).toBe(400);
      const history = ok(await as(PROPOSER).get(`/proposals/${proposalId}/history`));
      expect(history.map((e: RecordedEvent) => e.actor)).toEqual([{ userId: PROPOSER, role: 'proposer' }]);
      expect(history[0].data.proposerId).toBe(PROPOSER);
    });

    it("a user of another unit cannot read or act on this unit's items by guessing their ids", async () => {
      ok(await as(PROPOSER).put(`/proposals/${proposalId}`, { ...draft, report: fullReport() }));
      ok(await as(PROPOSER).post(`/proposals/${proposalId}/submit`));
      await until(() => as('u-ccvc-truong-phong', 'unit-head').get(`/reviews/${proposalId}`), (r) => r.status === 200, 'the review to open');
      const unknown = randomUUID();
      for (const userId of OTHER_UNIT) {
        const outsider = as(userId);
        for (const [path, unknownPath] of [
          [`/proposals/${proposalId}`, `/proposals/${unknown}`],
          [`/proposals/${proposalId}/history`, `/proposals/${unknown}/history`],
          [`/reviews/${proposalId}`, `/reviews/${unknown}`],
          [`/audit/streams/proposal-${proposalId}`, `/audit/streams/proposal-${unknown}`],
          [`/cadres/${PROPOSER}/record`, null],
        ] as const) {
          const reply = await outsider.get(path);
          expect([userId, path, reply.status]).toEqual([userId, path, 404]);
          if (unknownPath) {
            const other = await outsider.get(unknownPath);
            // Refused exactly like an unknown id: same status, same code, same message shape.
            expect([other.status, other.body.code]).toEqual([reply.status, reply.body.code]);
            expect(reply.body.message.replace(proposalId, 'ID')).toEqual(other.body.message.replace(unknown, 'ID'));
          }
        }
        const act = await as(userId, userId.endsWith('giam-doc') ? 'unit-head' : undefined).post(`/reviews/${proposalId}/request-revision`, { reasons: 'Không phải việc của tôi.' });
        expect([403, 404]).toContain(act.status);
      }
      expect(ok(await as('u-ccvc-truong-phong', 'unit-head').get(`/reviews/${proposalId}/history`)).map((e: RecordedEvent) => e.type)).toEqual(['ReviewOpened']);
    });

    /** Says the same as an unknown id: same status, same code, same message once the ids are masked. */
    const sameAsUnknown = (reply: { status: number; body: any }, id: string, unknownReply: { status: number; body: any }, unknown: string) => {
      expect([reply.status, reply.body?.code]).toEqual([unknownReply.status, unknownReply.body?.code]);
      expect(String(reply.body?.message).split(id).join('ID')).toEqual(String(unknownReply.body?.message).split(unknown).join('ID'));
    };

    it("the audit trail reads a stream by its service's own rule: an unsubmitted draft only by its proposer (issue 12)", async () => {
      const { proposalId: draftId } = ok(await as(PROPOSER).post('/proposals', { ...draft, title: 'Bản nháp riêng', report: fullReport() }), 201);
      await until(() => as(PROPOSER).get(`/proposals/${draftId}`), (r) => r.status === 200, 'the draft to show');
      const mine = ok(await as(PROPOSER).get(`/audit/streams/proposal-${draftId}`));
      expect(mine.events.map((e: RecordedEvent) => e.type)).toEqual(['ProposalDrafted']);
      expect(mine.events[0].data).toMatchObject({ title: 'Bản nháp riêng', report: fullReport() });
      const unknown = randomUUID();
      // The head of the proposer's unit and a colleague of the same unit, in every role they hold.
      for (const [userId, role] of [['u-ccvc-truong-phong', 'unit-head'], ['u-ccvc-truong-phong', 'collective'], ['u-ccvc-pho-phong', 'collective'], ['u-ccvc-pho-phong', undefined], ['u-snv-giam-doc', 'authority']] as const) {
        expect([userId, role, (await as(userId, role).get(`/proposals/${draftId}`)).status]).toEqual([userId, role, 404]);
        for (const suffix of ['', '/proof']) {
          const reply = await as(userId, role).get(`/audit/streams/proposal-${draftId}${suffix}`);
          expect([userId, role, suffix, reply.status]).toEqual([userId, role, suffix, 404]);
          expect(JSON.stringify(reply.body)).not.toContain('Bản nháp riêng');
          sameAsUnknown(reply, draftId, await as(userId, role).get(`/audit/streams/proposal-${unknown}${suffix}`), unknown);
        }
      }
    });

    it("the audit trail does not show a colleague another cadre's record; the cadre and the head above them read it (issue 12)", async () => {
      const { proposalId: referredId } = ok(await as(PROPOSER).post('/proposals', { ...draft, title: 'Đề xuất bị phản ánh', report: fullReport() }), 201);
      await until(() => as(PROPOSER).get(`/proposals/${referredId}`), (r) => r.status === 200, 'the draft to show');
      ok(await as(PROPOSER).post(`/proposals/${referredId}/submit`));
      // C14-2.4d: an abuse referral on a submitted proposal lands on the cadre's record.
      await until(
        () => as('u-snv-danh-gia', 'evaluator').post(`/evaluations/${referredId}/abuse-referrals`, { grounds: ['self-interest'], description: 'Có đơn phản ánh.' }),
        (r) => r.status === 201,
        'the referral to be taken',
      );
      const streamId = `cadre-${PROPOSER}`;
      // Polled through the record (the read budget), then read once through the audit trail (its own, smaller budget).
      await until(() => as(PROPOSER).get(`/cadres/${PROPOSER}/record`), (r) => r.status === 200 && r.body.abuseReferrals.length > 0, "the referral on the cadre's record", 45_000);
      const own = ok(await as(PROPOSER).get(`/audit/streams/${streamId}`));
      expect(own.events.map((e: RecordedEvent) => e.type)).toContain('AbuseReferralRecorded');
      expect(ok(await as('u-ccvc-truong-phong', 'unit-head').get(`/audit/streams/${streamId}`)).events.length).toBeGreaterThan(0);
      const colleague = as('u-ccvc-pho-phong');
      expect((await colleague.get(`/cadres/${PROPOSER}/record`)).status).toBe(404);
      const refused = await colleague.get(`/audit/streams/${streamId}`);
      expect(refused.status).toBe(404);
      expect(JSON.stringify(refused.body)).not.toContain('AbuseReferralRecorded');
      sameAsUnknown(refused, PROPOSER, await colleague.get('/audit/streams/cadre-u-nobody'), 'u-nobody');
      for (const role of ['collective', 'proposer']) expect((await colleague.as(role).get(`/audit/streams/${streamId}/proof`)).status).toBe(404);
    });

    let approvedId: string;

    it('restricted text (the party committee\'s opinion, the reasons, what a check found, what a flag says) is clear for the people concerned and redacted for others who may read the record, in views, histories and the audit trail (issue 12)', async () => {
      const proposer = as(PROPOSER);
      const head = as('u-ccvc-truong-phong', 'unit-head');
      const supervisor = as('u-skhcn-thanh-tra', 'supervisor');
      ({ proposalId: approvedId } = ok(await proposer.post('/proposals', { ...draft, title: 'Thí điểm một cửa', report: fullReport() }), 201));
      const id = approvedId;
      await until(() => proposer.get(`/proposals/${id}`), (r) => r.status === 200, 'the draft to show');
      ok(await proposer.post(`/proposals/${id}/submit`));
      await until(() => head.get(`/reviews/${id}`), (r) => r.status === 200, 'the review to open');
      const OPINION = 'Chi bộ đồng ý, lưu ý rủi ro về nhân sự.';
      const REASONS = 'Cần thiết và khả thi, người đề xuất có năng lực.';
      const FINDINGS = 'Cán bộ thu phí sai quy định tại bộ phận một cửa.';
      const DESCRIPTION = 'Nghi vấn vụ lợi của cán bộ tiếp nhận.';
      ok(await head.post(`/reviews/${id}/consult`, { opinion: OPINION }));
      ok(await head.post(`/reviews/${id}/votes`, { vote: 'for' }));
      ok(await as('u-ccvc-pho-phong', 'collective').post(`/reviews/${id}/votes`, { vote: 'for' }));
      ok(await head.post(`/reviews/${id}/tally`, {}));
      const today = new Date().toISOString().slice(0, 10);
      ok(await head.post(`/reviews/${id}/approve`, {
        decision: 'pilot', reasons: REASONS,
        attestation: { notContraryToConstitution: true, notContraryToPartyCharter: true, notContraryToLaw: true },
        plan: {
          scope: 'Phòng Công chức, viên chức', startDate: today, endDate: '2027-05-31',
          kpis: [{ id: 'k-days', name: 'Số ngày xử lý', unit: 'ngày', target: 10, direction: 'at-most' }],
          milestones: [{ id: 'm1', name: 'Ban hành quy trình', dueDate: '2027-03-31' }],
          resources: [{ kind: 'funding', description: 'Kinh phí thí điểm', amount: 200000000 }], supervisorId: 'u-skhcn-thanh-tra',
        },
      }));
      await until(() => proposer.get(`/pilots/${id}`), (r) => r.status === 200, 'the pilot to be planned', 45_000);
      ok(await proposer.post(`/pilots/${id}/start`));
      ok(await supervisor.post(`/pilots/${id}/checks`, { findings: FINDINGS }), 201);
      ok(await supervisor.post(`/pilots/${id}/flags`, { category: 'violation', description: DESCRIPTION }), 201);
      await until(() => proposer.get(`/pilots/${id}`), (r) => r.body?.openFlags?.length === 1, 'the flag to show');
      await until(() => head.get(`/reviews/${id}`), (r) => r.body?.status === 'approved', 'the approval to show');

      const reviewText = (view: any, trail: RecordedEvent[]) => [
        view.consultation?.opinion ?? null, view.outcome?.reasons ?? null,
        (trail.find((e) => e.type === 'PartyCommitteeConsulted')?.data as any)?.opinion ?? null,
        (trail.find((e) => e.type === 'ProposalApproved')?.data as any)?.reasons ?? null,
      ];
      const pilotText = (view: any, trail: RecordedEvent[]) => [
        view.openFlags[0]?.description ?? null,
        (trail.find((e) => e.type === 'SupervisionCheckRecorded')?.data as any)?.findings ?? null,
        (trail.find((e) => e.type === 'IssueFlagged' && (e.data as any).source === 'supervisor')?.data as any)?.description ?? null,
      ];
      const reviewOf = async (who: Caller) => reviewText(ok(await who.get(`/reviews/${id}`)), ok(await who.get(`/reviews/${id}/history`)));
      const reviewAuditOf = async (who: Caller) => reviewText({}, ok(await who.get(`/audit/streams/review-${id}`)).events).slice(2);
      const pilotOf = async (who: Caller) => pilotText(ok(await who.get(`/pilots/${id}`)), ok(await who.get(`/pilots/${id}/history`)));
      const pilotAuditOf = async (who: Caller) => pilotText({ openFlags: [] }, ok(await who.get(`/audit/streams/pilot-${id}`)).events).slice(1);

      // The people concerned: the proposer, the head who decided (and approved the pilot), the supervisor the plan names.
      for (const who of [proposer, head]) {
        expect([who.userId, ...(await reviewOf(who)), ...(await reviewAuditOf(who))]).toEqual([who.userId, OPINION, REASONS, OPINION, REASONS, OPINION, REASONS]);
      }
      for (const who of [proposer, head, supervisor]) {
        expect([who.userId, ...(await pilotOf(who)), ...(await pilotAuditOf(who))]).toEqual([who.userId, DESCRIPTION, FINDINGS, DESCRIPTION, FINDINGS, DESCRIPTION]);
      }
      // In jurisdiction, not concerned: the department's deputy director (the review), the colleague of the same unit (the pilot).
      const deputyDirector = as('u-snv-pho-giam-doc', 'collective');
      expect([...(await reviewOf(deputyDirector)), ...(await reviewAuditOf(deputyDirector))]).toEqual([null, null, null, null, null, null]);
      const trail = ok(await deputyDirector.get(`/reviews/${id}/history`)) as (RecordedEvent & { redacted?: string[] })[];
      expect(trail.find((e) => e.type === 'PartyCommitteeConsulted')!.redacted).toEqual(['opinion']);
      expect(trail.find((e) => e.type === 'ProposalApproved')!.redacted).toEqual(['reasons']);
      expect(JSON.stringify(ok(await deputyDirector.get('/reviews')))).not.toContain(OPINION);
      for (const who of [as('u-ccvc-pho-phong'), as('u-ccvc-pho-phong', 'collective'), deputyDirector]) {
        expect([who.userId, who.role, ...(await pilotOf(who)), ...(await pilotAuditOf(who))]).toEqual([who.userId, who.role, null, null, null, null, null]);
        expect(JSON.stringify(ok(await who.get('/pilots')))).not.toContain(DESCRIPTION);
      }
    }, 120_000);

    it('a command on another unit\'s object answers exactly like one on an unknown id: same status, same code, same message (issue 12)', async () => {
      const unknown = randomUUID();
      const cases: [Caller, string, string, unknown][] = [
        [as('u-stc-chuyen-vien'), 'PUT', `/proposals/:id`, { ...draft, report: fullReport() }],
        [as('u-stc-chuyen-vien'), 'POST', `/proposals/:id/withdraw`, {}],
        [as('u-stc-giam-doc', 'unit-head'), 'POST', `/reviews/:id/request-revision`, { reasons: 'Không phải việc của tôi.' }],
        [as('u-stc-giam-doc', 'unit-head'), 'POST', `/reviews/:id/consult`, { opinion: 'Không phải việc của tôi.' }],
        [as('u-skhcn-giam-doc', 'authority'), 'POST', `/pilots/:id/suspend`, { reasons: ['Ngoài thẩm quyền'] }],
        [as('u-stc-giam-doc', 'unit-head'), 'POST', `/pilots/:id/support`, { kind: 'guidance', description: 'Hướng dẫn' }],
      ];
      for (const [who, method, path, body] of cases) {
        const send = (id: string) => (method === 'PUT' ? who.put(path.replace(':id', id), body) : who.post(path.replace(':id', id), body));
        const outside = await send(approvedId);
        expect([who.userId, path, outside.status, outside.body?.code]).toEqual([who.userId, path, 404, 'NOT_FOUND']);
        expect(JSON.stringify(outside.body)).not.toMatch(/tm-snv-ccvc|jurisdiction/);
        sameAsUnknown(outside, approvedId, await send(unknown), unknown);
      }
    });

    it('refuses and counts events of another instance', async () => {
      const foreignId = randomUUID();
      const foreign: RecordedEvent = {
        eventId: randomUUID(), type: 'ProposalSubmitted', version: 1, streamId: `proposal-${foreignId}`, streamType: 'proposal', streamPosition: 1,
        occurredAt: new Date().toISOString(), recordedAt: new Date().toISOString(), instance: 'hp', actor: { userId: PROPOSER, role: 'proposer' },
        correlationId: randomUUID(), causationId: null, classification: 'public', prevHash: GENESIS_HASH, hash: GENESIS_HASH,
        data: { proposalId: foreignId, revision: 1, proposerId: PROPOSER, proposerUnitId: 'tm-snv-ccvc', title: 'x', field: 'other', problemType: 'unregulated', isScheme: false, report: fullReport(), attachments: [], scopeUnitIds: [], submittedAt: new Date().toISOString() },
      };
      await platform.inject('proposals', foreign);
      const admin = as('u-vp-quan-tri', 'admin').on('approvals');
      const status = await until(
        () => admin.get('/admin/status'),
        (r) => r.status === 200 && [r.body].flat().some((s: { service: string; refusedForeignEvents: number }) => s.service === 'approvals' && s.refusedForeignEvents > 0),
        'the approvals service to count the foreign event',
      );
      expect(status.body.length).toBeGreaterThan(0);
      // Issue 16: the operators see each consumer group, its state and how far behind it is.
      const approvals = [status.body].flat().find((s: { service: string }) => s.service === 'approvals');
      expect(approvals.consumption).toMatchObject({ service: 'approvals', state: 'consuming' });
      expect(approvals.consumers.map((c: { group: string }) => c.group).sort()).toEqual(['tm.approvals.projections', 'tm.approvals.reactors'].map((g) => expect.stringContaining(g)));
      for (const consumer of approvals.consumers) {
        expect(consumer).toMatchObject({ state: 'running', restarts: 0 });
        expect(consumer.lag === null || typeof consumer.lag === 'number').toBe(true);
      }
      expect((await as('u-ccvc-truong-phong', 'unit-head').get(`/reviews/${foreignId}`)).status).toBe(404);
      expect((await as(PROPOSER).on('approvals').get('/admin/status')).status).toBe(403);
    });

    it('the audit trail gives the ordered history with actors and a verified hash chain', async () => {
      const audit = ok(await as(PROPOSER).get(`/audit/streams/proposal-${proposalId}`));
      expect(audit.verification).toMatchObject({ ok: true, breaks: [] });
      expect(audit.events.map((e: RecordedEvent) => [e.streamPosition, e.type, e.actor.userId])).toEqual([
        [1, 'ProposalDrafted', PROPOSER], [2, 'ProposalRevised', PROPOSER], [3, 'ProposalSubmitted', PROPOSER], [4, 'ProposalReviewOutcomeRecorded', expect.any(String)],
      ]);
      const report = ok(await as('u-vp-quan-tri', 'admin').on('proposals').post('/audit/verify'));
      expect(report.every((s: { ok: boolean }) => s.ok)).toBe(true);
    });

    /** The public key a published JWKS names, as an outside verifier builds it: from the JWK alone. */
    const auditKey = async (keyId: string): Promise<KeyObject> => {
      const response = await fetch(`${platform.url('proposals')}/api/v1/audit/keys`);
      expect(response.status).toBe(200);
      const jwks = (await response.json()) as { keys: (JsonWebKey & { kid: string })[] };
      const jwk = jwks.keys.find((k) => k.kid === keyId);
      expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
      expect(jwk).not.toHaveProperty('d');
      return createPublicKey({ key: jwk!, format: 'jwk' });
    };

    it("issues a signed checkpoint on demand; an outside verifier checks a stream's proof with the published key alone (issue 12)", async () => {
      const streamId = `proposal-${proposalId}`;
      const admin = as('u-vp-quan-tri', 'admin').on('proposals');
      const before = await as(PROPOSER).get(`/audit/streams/${streamId}/proof`);
      expect([before.status, before.body.code, before.body.message]).toEqual([404, 'NOT_FOUND', expect.stringMatching(/a checkpoint must be issued first/)]);
      expect((await as(PROPOSER).on('proposals').post('/audit/checkpoints')).status).toBe(403);

      const issued: AuditCheckpoint[] = ok(await admin.post('/audit/checkpoints'), 201);
      const checkpoint = issued.find((c) => c.service === 'proposals')!;
      expect(checkpoint).toEqual({
        instance: 'tm', service: 'proposals', sequence: expect.any(Number), streams: expect.any(Number), root: expect.stringMatching(/^[0-9a-f]{64}$/),
        issuedAt: expect.any(String), keyId: expect.any(String), signature: expect.any(String),
      });
      expect(ok(await as(PROPOSER).on('proposals').get('/audit/checkpoints/latest'))).toContainEqual({ service: 'proposals', checkpoint });

      // Outside the services: the key from the JWKS (no token needed), the proof, and nothing else.
      const publicKey = await auditKey(checkpoint.keyId);
      const proof: InclusionProof = ok(await as(PROPOSER).get(`/audit/streams/${streamId}/proof`));
      expect(proof.checkpoint).toEqual(checkpoint);
      const trail = ok(await as(PROPOSER).get(`/audit/streams/${streamId}`));
      const last = trail.events[trail.events.length - 1];
      expect(proof.head).toEqual({ streamId, position: last.streamPosition, hash: last.hash });
      expect(verifyInclusion(proof, publicKey)).toEqual({ ok: true });
      expect(verifyInclusion({ ...proof, head: { ...proof.head, position: proof.head.position - 1 } }, publicKey).ok).toBe(false);
      expect(verifyInclusion({ ...proof, checkpoint: { ...proof.checkpoint, streams: proof.checkpoint.streams + 1 } }, publicKey).ok).toBe(false);
      expect(verifyInclusion(proof, generateKeyPairSync('ed25519').publicKey).ok).toBe(false);

      // The proof is refused outside the caller's reach exactly like an unknown stream's.
      for (const userId of OTHER_UNIT) {
        const refused = await as(userId).get(`/audit/streams/${streamId}/proof`);
        const unknown = await as(userId).get(`/audit/streams/proposal-${randomUUID()}/proof`);
        expect([refused.status, refused.body.code]).toEqual([404, 'NOT_FOUND']);
        expect([unknown.status, unknown.body.code]).toEqual([404, 'NOT_FOUND']);
        expect(refused.body.message.replace(/proposal-[0-9a-f-]{36}/, 'ID')).toEqual(unknown.body.message.replace(/proposal-[0-9a-f-]{36}/, 'ID'));
      }

      const document = await openApiDocument();
      expect(document.paths['/api/v1/audit/keys'].get.security).toEqual([]);
      for (const path of ['/api/v1/audit/checkpoints', '/api/v1/audit/checkpoints/latest', '/api/v1/audit/streams/{id}/proof', '/api/v1/audit/verify']) expect(document.paths[path]).toBeDefined();

      const report = ok(await admin.post('/audit/verify'));
      expect(report.find((s: { service: string }) => s.service === 'proposals')).toMatchObject({
        ok: true, broken: [], findings: [], checkpoint: { sequence: checkpoint.sequence, root: checkpoint.root, headsMatchRoot: true, signatureValid: true },
      });
    });

    it("publishes each checkpoint whole on the instance's public audit topic, and nothing restricted", async () => {
      const latest = ok(await as(PROPOSER).on('proposals').get('/audit/checkpoints/latest'));
      const checkpoint: AuditCheckpoint = latest.find((s: { service: string }) => s.service === 'proposals').checkpoint;
      const isIt = (e: RecordedEvent) => e.type === 'AuditCheckpointIssued' && (e.data as AuditCheckpoint).service === 'proposals' && (e.data as AuditCheckpoint).sequence === checkpoint.sequence;
      const published = await until(() => platform.publicEvents(), (events) => events.some(isIt), 'the checkpoint on the public audit topic', 45_000);
      const event = published.find(isIt)!;
      expect(event).toMatchObject({ streamId: 'audit-checkpoint-proposals', streamType: 'audit-checkpoint', classification: 'public', instance: 'tm', actor: { userId: 'u-vp-quan-tri', role: 'admin' } });
      expect(event.data).toEqual(checkpoint);
      expect(checkpointSignatureValid(event.data as AuditCheckpoint, await auditKey(checkpoint.keyId))).toBe(true);
      const contract = contractRegistry();
      for (const e of published) {
        expect([e.type, e.classification]).toEqual([e.type, 'public']);
        for (const field of contract.definition(e.type).restricted ?? []) expect([e.type, field, field in (e.data as object)]).toEqual([e.type, field, false]);
      }
    });

    it('a record altered directly in MongoDB is reported by the audit at the right event', async () => {
      if (!platform.tamper) {
        // The one-process mode keeps its store in a locked local database, not in MongoDB.
        expect(mode).toContain('one process');
        return;
      }
      await platform.tamper('proposals', `proposal-${proposalId}`, 2, (e) => ({ ...e, data: { ...(e.data as object), title: 'Đã bị sửa lén' } }));
      const audit = ok(await as(PROPOSER).get(`/audit/streams/proposal-${proposalId}`));
      expect(audit.verification.ok).toBe(false);
      expect(audit.verification.breaks).toEqual([{ position: 2, eventId: audit.events[1].eventId, reason: 'hash-mismatch' }]);
      const report = ok(await as('u-vp-quan-tri', 'admin').on('proposals').post('/audit/verify'));
      const proposals = report.find((s: { service: string }) => s.service === 'proposals');
      expect(proposals.broken).toEqual([{ streamId: `proposal-${proposalId}`, breaks: [{ position: 2, eventId: audit.events[1].eventId, reason: 'hash-mismatch' }] }]);
      // Against the checkpoint signed before the edit, the stream is named as altered.
      expect(proposals.ok).toBe(false);
      expect(proposals.findings).toContainEqual(expect.objectContaining({ streamId: `proposal-${proposalId}`, finding: 'altered' }));
    });

    it('limits the commands one caller may send', async () => {
      const caller = as('u-stc-chuyen-vien');
      let limited: { status: number; body: any } | undefined;
      for (let i = 0; i < 130 && !limited; i++) {
        const reply = await caller.post('/proposals', { ...draft, title: `Thử ${i}` });
        if (reply.status === 429) limited = reply;
        else expect(reply.status).toBe(201);
      }
      expect(limited?.body).toMatchObject({ statusCode: 429, code: 'TOO_MANY_REQUESTS' });
      // Reading has its own budget, and other callers are not affected.
      expect((await caller.get('/proposals')).status).toBe(200);
      expect((await as(PROPOSER).post('/proposals', draft)).status).toBe(201);
    });

    it('counts requests by the verified subject: a self-signed token naming a victim never locks the victim out', async () => {
      const victim = 'u-sxd-giam-doc';
      const forged = await new LocalIssuer().token(victim);
      for (let i = 0; i < 130; i += 10) {
        const replies = await Promise.all(Array.from({ length: 10 }, () => send('/proposals', { method: 'POST', token: forged, body: draft })));
        for (const reply of replies) expect([401, 429]).toContain(reply.status);
      }
      expect((await as(victim, 'unit-head').post('/proposals', draft)).status).toBe(201);
    });

    it('reads and the audit trail have budgets of their own', async () => {
      // 1,300 requests: on 2 shared cores under the distributed suite's load this takes a while.
      const reader = as('u-sxd-pgd-1');
      const unknown = randomUUID();
      let audits = 0;
      let limited = false;
      for (; audits < 40 && !limited; audits++) limited = (await reader.get(`/audit/streams/proposal-${unknown}`)).status === 429;
      expect([limited, audits]).toEqual([true, 31]);
      let reads = 0;
      limited = false;
      while (reads < 1300 && !limited) {
        const replies = await Promise.all(Array.from({ length: 25 }, () => reader.get(`/proposals/${unknown}`)));
        reads += replies.length;
        limited = replies.some((r) => r.status === 429);
        for (const reply of replies) expect([404, 429]).toContain(reply.status);
      }
      expect(limited).toBe(true);
      expect(reads).toBeGreaterThan(1200);
    }, 180_000);

    it('refuses bodies nested too deep, with a key twice or with hidden characters (400, fixed messages), and stores text in NFC', async () => {
      const proposer = as(PROPOSER);
      const cases: [string, string, RegExp][] = [
        ['10,000 levels of nesting', '['.repeat(10_000) + ']'.repeat(10_000), /nested deeper/],
        ['a key twice', JSON.stringify(draft).replace('{"title":', '{"title":"một","title":'), /twice/],
        ['malformed JSON echoing nothing', '{"title": "<script>secret-token-123', /^the request body is not valid JSON$/],
        ['a right-to-left override in the title', JSON.stringify({ ...draft, title: 'Đề xuất \u202Egnal' }), /U\+202E/],
        ['a zero-width space in the title', JSON.stringify({ ...draft, title: 'Đề\u200Bxuất' }), /U\+200B/],
      ];
      for (const [what, text, message] of cases) {
        const reply = await proposer.raw('POST', '/proposals', text);
        expect([what, reply.status]).toEqual([what, 400]);
        expect([what, reply.body.message]).toEqual([what, expect.stringMatching(message)]);
        expect(JSON.stringify(reply.body)).not.toContain('secret-token-123');
      }
      const decomposed = 'Nguye\u0302\u0303n';
      const { proposalId: id } = ok(await proposer.post('/proposals', { ...draft, title: decomposed }), 201);
      const stored = await until(() => proposer.get(`/proposals/${id}`), (r) => r.status === 200, 'the draft to show');
      expect(stored.body.title).toBe('Nguyễn');
    });

    it('answers with protective headers and no framework banner', async () => {
      const response = await fetch(`${platform.url('proposals')}/api/v1/proposals`, { headers: { authorization: `Bearer ${await platform.token(PROPOSER)}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-powered-by')).toBeNull();
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    });

    it('describes in the OpenAPI document the bearer scheme on every operation, the x-role header and the token request', async () => {
      const document = await openApiDocument();
      expect(Object.keys(document.components.securitySchemes)).toEqual(['bearer']);
      expect(document.security).toEqual([{ bearer: [] }]);
      const operations = Object.values(document.paths as Record<string, Record<string, { parameters?: { name: string }[] }>>).flatMap((p) => Object.values(p));
      expect(operations.length).toBeGreaterThan(5);
      const roleHeader = (document.components.parameters ?? {})['x-role'] ?? operations[0].parameters?.find((x) => x.name === 'x-role');
      expect(JSON.stringify(document)).toContain('"x-role"');
      expect(roleHeader ?? 'global').toBeTruthy();
      // One rule for success codes: 201 for a command that creates an object with its own id, 200 for any other.
      const creates = /^\/api\/v1\/(proposals|registrations|assignments|inspection-cases|audit\/checkpoints|reports\/periodic\/send|[a-z-]+\/\{[A-Za-z]+\}\/(abuse-referrals|checks|flags|progress|support|replication|institutionalization))$/;
      const codes = Object.entries(document.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>).flatMap(([path, ops]) =>
        Object.entries(ops).filter(([method]) => method === 'post' || method === 'put').map(([method, op]) => [method, path, Object.keys(op.responses).filter((c) => c.startsWith('2'))] as const),
      );
      for (const [method, path, success] of codes) {
        expect([method, path, success]).toEqual([method, path, [method === 'post' && creates.test(path) ? '201' : '200']]);
      }
      // No property of any body is typed as a bare object where it holds a text (a nullable union once did so).
      const plan = document.components.schemas.PlanDto.properties;
      expect([plan.endDate.type, plan.supervisorId.type]).toEqual(['string', 'string']);
      const untyped = Object.entries(document.components.schemas as Record<string, { properties?: Record<string, { type?: string; $ref?: string; allOf?: unknown }> }>).flatMap(([name, schema]) =>
        Object.entries(schema.properties ?? {}).filter(([, p]) => p.type === 'object' && !p.$ref && !p.allOf).map(([field]) => `${name}.${field}`),
      );
      expect(untyped).toEqual([]);
      if (document.components.schemas.TokenRequestDto) {
        expect(Object.keys(document.components.schemas.TokenRequestDto.properties)).toEqual(['userId', 'role']);
      }
    });
  });
}

function fullReport() {
  return {
    necessity: 'Cần thiết.', basis: 'Kết luận 14-KL/TW.',
    impactForecast: { positive: 'Nhanh hơn.', negative: 'Hậu kiểm tăng.', expectedEffectiveness: 'Giảm 70%.' },
    feasibility: 'Khả thi.', currentSituation: 'Chậm.', content: 'Liên thông.',
    objectives: [{ description: 'Rút ngắn', targets: [{ indicator: 'Ngày', target: '10', unit: 'ngày' }] }],
    implementationPlan: { milestones: [{ name: 'Quy trình', dueDate: '2027-06-30' }] },
    resources: { people: '3 người' }, organization: 'Phòng chủ trì.', recommendations: 'Cho thí điểm.',
  };
}
