import type { PolicyInput } from '@dotpha/org';
import { Caller, ok, startedPlatform, until } from './client';
import { SUPERVISOR, pilotApproval, proposalContent } from './fixtures';
import type { Platform, PlatformOptions } from './platform';

/**
 * Rules a cadre can trust (issue 11), over HTTP, written once and run in both modes: the race
 * between a withdrawal and an approval, the vote of a 5-member collective with abstentions, and
 * inspection cases ending in the liability their finding calls for, each step in the cadre's notices.
 */
export function describeRules(mode: string, start: (policy: PolicyInput, options: PlatformOptions) => Promise<Platform>): void {
  /**
   * Waits until every consumer of every service has caught up (lag 0 three polls running): the
   * race leaves a few thousand events in flight, which FerretDB on 2 cores takes minutes to absorb.
   */
  async function caughtUp(platform: Platform, what: string): Promise<void> {
    const admin = new Caller(platform, 'u-vp-quan-tri', 'admin');
    const services = ['proposals', 'approvals', 'monitoring', 'evaluation', 'rewards'] as const;
    const started = Date.now();
    let quiet = 0;
    while (quiet < 3) {
      if (Date.now() - started > 900_000) throw new Error(`the consumers did not catch up after ${what}`);
      const statuses = await Promise.all(services.map((service) => admin.on(service).get('/admin/status')));
      const lags = statuses.flatMap((r) => [r.body].flat().flatMap((s: { consumers?: { lag: number | null }[] }) => (s.consumers ?? []).map((c) => c.lag)));
      quiet = lags.length > 0 && lags.every((lag) => lag === 0) ? quiet + 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    process.stdout.write(`[rules] consumers caught up ${((Date.now() - started) / 1000).toFixed(1)} s after ${what}\n`);
  }

  /** Runs `work` over `items`, `width` at a time. */
  async function inBatches<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = [];
    for (let i = 0; i < items.length; i += width) results.push(...(await Promise.all(items.slice(i, i + width).map(work))));
    return results;
  }

  describe(`Rules a cadre can trust over HTTP: ${mode}`, () => {
    // The race sends a few hundred commands from one proposer and one head within a minute.
    const started = startedPlatform(() => start({}, { commandsPerMinute: 100_000, readsPerMinute: 100_000 }));
    const as = started.as;

    it('SAGA-withdraw: withdraw and approve sent at the same moment, 100 times: never a pilot for a withdrawn proposal', async () => {
      // Phòng Văn hóa - Xã hội of Xã An Bình: its collective is its head alone, who decides (D73-8.1a's exception).
      const proposer = as('u-ab-vhxh-cong-chuc');
      const head = as('u-ab-vhxh-truong-phong', 'unit-head');
      const tries = Array.from({ length: 100 }, (_, i) => i);
      const ids = await inBatches(tries, 10, async (i) => {
        const { proposalId } = ok(await proposer.post('/proposals', proposalContent(`Đề xuất thử ${i}`)), 201);
        ok(await proposer.post(`/proposals/${proposalId}/submit`));
        return proposalId as string;
      });
      await until(() => head.get('/reviews?status=open'), (r) => ids.every((id) => r.body.some((x: { proposalId: string }) => x.proposalId === id)), 'every review to open', 120_000, 1000);
      await inBatches(ids, 10, async (id) => ok(await head.post(`/reviews/${id}/consult`, { opinion: 'Chi bộ đồng ý.' })));

      // Most pairs leave at the same moment; some withdrawals trail by up to half a second, so that
      // the approval sometimes reaches the proposal first and both outcomes are exercised.
      const race = await inBatches(ids, 10, async (id) => {
        const lag = (ids.indexOf(id) % 4) * 150;
        const [approve, withdraw] = await Promise.all([
          head.post(`/reviews/${id}/approve`, pilotApproval),
          new Promise((resolve) => setTimeout(resolve, lag)).then(() => proposer.post(`/proposals/${id}/withdraw`, { reason: 'Rút lại.' })),
        ]);
        return { id, approve: approve.status, withdraw: withdraw.status };
      });
      // Each side either took effect or was refused as a conflict, never with a server error.
      for (const { approve, withdraw } of race) {
        expect([200, 409]).toContain(approve);
        expect([200, 409]).toContain(withdraw);
      }
      expect(race.filter((r) => r.withdraw === 200).length).toBeGreaterThan(0);

      // Every proposal settles as withdrawn or approved; the streams are the arbiters.
      await caughtUp(started.platform, 'the race');
      const settled = await inBatches(ids, 10, async (id) => {
        const final = await until(() => proposer.get(`/proposals/${id}`), (r) => ['withdrawn', 'approved-pilot'].includes(r.body?.status), `proposal ${id} to settle`, 120_000, 500);
        return { id, status: final.body.status as string };
      });
      const withdrawn = settled.filter((s) => s.status === 'withdrawn').map((s) => s.id);
      const approved = settled.filter((s) => s.status === 'approved-pilot').map((s) => s.id);
      expect(withdrawn.length + approved.length).toBe(100);
      // The approved ones get their pilot, so the last of them having one means the pipeline has caught up.
      const supervisor = as(SUPERVISOR, 'supervisor');
      await inBatches(approved, 10, (id) => until(() => supervisor.get(`/pilots/${id}`), (r) => r.status === 200, `the pilot of approved ${id}`, 120_000, 500));
      // The reviews of the withdrawn proposals are closed, and after them nothing is approved.
      await inBatches(withdrawn, 10, (id) => until(() => head.get(`/reviews/${id}`), (r) => r.body?.status === 'closed', `the review of withdrawn ${id} to close`, 120_000, 500));
      const pilotsOfWithdrawn = await inBatches(withdrawn, 10, async (id) => (await supervisor.get(`/pilots/${id}`)).status);
      expect(pilotsOfWithdrawn.filter((status) => status !== 404)).toEqual([]);
      const lateApprovals = await inBatches(withdrawn.slice(0, 5), 5, async (id) => (await head.post(`/reviews/${id}/approve`, pilotApproval)).status);
      expect(lateApprovals).toEqual(lateApprovals.map(() => 409));
      process.stdout.write(`[rules ${mode}] withdraw race: ${withdrawn.length} withdrawn, ${approved.length} approved, 0 pilots for withdrawn proposals\n`);
      await caughtUp(started.platform, 'the checks of the race');
    }, 1_500_000);

    it('D73-8.1b: a 5-member collective with abstentions: one for, one against, three abstaining rejects; the head may authorise it in writing (D73-8.1c)', async () => {
      // Under the default superior-head route the director's own proposal goes to the province committee: chair and four vice-chairs.
      const proposer = as('u-skhcn-giam-doc', 'proposer');
      const chair = as('u-ubnd-chu-tich', 'unit-head');
      const { proposalId } = ok(await proposer.post('/proposals', proposalContent('Sandbox dữ liệu mở')), 201);
      ok(await proposer.post(`/proposals/${proposalId}/submit`));
      const review = await until(() => chair.get(`/reviews/${proposalId}`), (r) => r.status === 200, 'the review to open');
      expect(review.body).toMatchObject({ route: 'superior-head', reviewerUnitId: 'tm-ubnd' });
      expect([...review.body.collectiveMemberIds].sort()).toEqual(['u-ubnd-chu-tich', 'u-ubnd-pct-1', 'u-ubnd-pct-2', 'u-ubnd-pct-3', 'u-ubnd-pct-4']);
      ok(await chair.post(`/reviews/${proposalId}/consult`, { opinion: 'Ban cán sự đảng đồng ý.' }));
      // D73-8.1a: the head never decides alone.
      expect((await chair.post(`/reviews/${proposalId}/approve`, pilotApproval)).status).toBe(422);
      const ballots: [string, string][] = [['u-ubnd-chu-tich', 'for'], ['u-ubnd-pct-1', 'against'], ['u-ubnd-pct-2', 'abstain'], ['u-ubnd-pct-3', 'abstain']];
      for (const [memberId, vote] of ballots) ok(await as(memberId, 'collective').post(`/reviews/${proposalId}/votes`, { vote }));
      // A member has not voted: no tally until they do or the head closes the meeting (4 of 5 took part: a quorum).
      expect((await chair.post(`/reviews/${proposalId}/tally`, {})).status).toBe(422);
      ok(await as('u-ubnd-pct-4', 'collective').post(`/reviews/${proposalId}/votes`, { vote: 'abstain' }));
      ok(await chair.post(`/reviews/${proposalId}/tally`, {}));
      const tallied = await until(() => chair.get(`/reviews/${proposalId}`), (r) => r.body.tally !== undefined && r.body.tally !== null, 'the tally to show');
      // Once (votes cast only) this was a tie won by the head: approved with 20% in favour.
      expect(tallied.body.tally).toMatchObject({ for: 1, against: 1, abstain: 3, members: 5, result: 'rejected' });
      expect((await chair.post(`/reviews/${proposalId}/approve`, pilotApproval)).status).toBe(422);
      ok(await chair.post(`/reviews/${proposalId}/override`, { writtenAuthorization: 'Tôi chịu trách nhiệm cho phép thí điểm vì cần thiết và khả thi.' }));
      ok(await chair.post(`/reviews/${proposalId}/approve`, pilotApproval));
      const history = ok(await chair.get(`/reviews/${proposalId}/history`));
      const approvedEvent = history.at(-1);
      expect(approvedEvent.type).toBe('ProposalApproved');
      expect(approvedEvent.data.decidedBy).toMatchObject({ override: true });

      // The same collective, four for out of five with one not voting: the head closes the meeting and it passes.
      const second = ok(await proposer.post('/proposals', proposalContent('Sandbox dữ liệu mở, giai đoạn 2')), 201).proposalId;
      ok(await proposer.post(`/proposals/${second}/submit`));
      await until(() => chair.get(`/reviews/${second}`), (r) => r.status === 200, 'the second review to open');
      ok(await chair.post(`/reviews/${second}/consult`, { opinion: 'Đồng ý.' }));
      for (const [memberId, vote] of [['u-ubnd-chu-tich', 'for'], ['u-ubnd-pct-1', 'for'], ['u-ubnd-pct-2', 'abstain']]) {
        ok(await as(memberId, 'collective').post(`/reviews/${second}/votes`, { vote }));
      }
      // Closing with 3 of 5 having taken part is a quorum, but 2 for out of 5 with the head is not half: rejected.
      ok(await chair.post(`/reviews/${second}/tally`, { closeMeeting: true }));
      const closed = await until(() => chair.get(`/reviews/${second}`), (r) => r.body.tally !== undefined && r.body.tally !== null, 'the second tally');
      expect(closed.body.tally).toMatchObject({ for: 2, members: 5, participated: 3, quorum: true, result: 'rejected' });
    }, 120_000);

    /** A proposal of Phòng Chuyển đổi số carried to an open evaluation with its results reported and the party committee consulted. */
    async function toEvaluation(title: string): Promise<string> {
      const proposer = as('u-cds-chuyen-vien');
      const head = as('u-cds-truong-phong', 'unit-head');
      const { proposalId } = ok(await proposer.post('/proposals', proposalContent(title)), 201);
      ok(await proposer.post(`/proposals/${proposalId}/submit`));
      await until(() => head.get(`/reviews/${proposalId}`), (r) => r.status === 200, 'the review to open');
      ok(await head.post(`/reviews/${proposalId}/consult`, { opinion: 'Chi bộ đồng ý.' }));
      ok(await head.post(`/reviews/${proposalId}/votes`, { vote: 'for' }));
      ok(await as('u-cds-pho-phong', 'collective').post(`/reviews/${proposalId}/votes`, { vote: 'for' }));
      ok(await head.post(`/reviews/${proposalId}/tally`, {}));
      ok(await head.post(`/reviews/${proposalId}/approve`, pilotApproval));
      const supervisor = as(SUPERVISOR, 'supervisor');
      await until(() => supervisor.get(`/pilots/${proposalId}`), (r) => r.status === 200, 'the pilot to be planned');
      ok(await proposer.post(`/pilots/${proposalId}/start`));
      ok(await proposer.post(`/pilots/${proposalId}/progress`, { kpiValues: [{ kpiId: 'k-days', value: 14 }], milestonesMet: [], narrative: 'Chưa đạt chỉ tiêu.' }), 201);
      ok(await supervisor.post(`/pilots/${proposalId}/complete`));
      const evaluator = as('u-ubnd-danh-gia', 'evaluator');
      await until(() => evaluator.get(`/evaluations/${proposalId}`), (r) => r.status === 200, 'the evaluation to open');
      ok(await proposer.post(`/evaluations/${proposalId}/results`, { report: 'Kết quả thí điểm (văn bản).' }));
      ok(await evaluator.post(`/evaluations/${proposalId}/consult`, { committeeUnitId: 'tm-tinh-uy', opinion: 'supports', summary: 'Đồng ý.' }));
      return proposalId;
    }

    /** Partial, no damage, every motive finding positive: protected (excluded) unless abuse is substantiated. */
    async function assessedPartial(proposalId: string): Promise<void> {
      const evaluator = as('u-ubnd-danh-gia', 'evaluator');
      const chair = as('u-ubnd-chu-tich', 'unit-head');
      ok(await evaluator.post(`/evaluations/${proposalId}/assessment`, {
        outcome: 'partially-achieved', notable: false, damage: { caused: false },
        causes: [{ description: 'Hạ tầng dùng chung chậm nâng cấp.', kind: 'objective' }],
        motive: { followedApprovedPlan: true, pureMotive: true, commonGood: true, noSelfInterest: true },
        assessment: 'Thực hiện đúng phương án, kết quả một phần.',
      }));
      ok(await chair.post(`/evaluations/${proposalId}/votes`, { vote: 'for' }));
      for (const member of ['u-ubnd-pct-1', 'u-ubnd-pct-2']) ok(await as(member, 'collective').post(`/evaluations/${proposalId}/votes`, { vote: 'for' }));
      ok(await as('u-ubnd-pct-3', 'collective').post(`/evaluations/${proposalId}/votes`, { vote: 'abstain' }));
      // Four of five took part: the chair closes the meeting; three for out of five approves the assessment.
      ok(await chair.post(`/evaluations/${proposalId}/tally`, { closeMeeting: true }));
      const proposer = as('u-cds-chuyen-vien');
      await until(() => proposer.get(`/evaluations/${proposalId}`), (r) => r.body?.assessment !== null && r.body?.assessment !== undefined, 'the assessment to take effect');
      ok(await proposer.post(`/evaluations/${proposalId}/answer`, { answer: 'Tôi thực hiện đúng phương án được duyệt, vì lợi ích chung.' }));
    }

    for (const finding of ['dismissed', 'substantiated'] as const) {
      it(`C14-2.4e: an abuse referral is an inspection case; ${finding}, it ends in liability ${finding === 'dismissed' ? 'excluded' : 'upheld'}, and the cadre's notices show every step (C14-2.4f)`, async () => {
        const proposalId = await toEvaluation(`Thí điểm có tố cáo (${finding})`);
        const evaluator = as('u-ubnd-danh-gia', 'evaluator');
        const inspector = as('u-ubkt-kiem-tra-vien', 'inspector');
        const proposer = as('u-cds-chuyen-vien');
        const referral = ok(await evaluator.post(`/evaluations/${proposalId}/abuse-referrals`, { grounds: ['self-interest'], description: 'Có đơn phản ánh về lợi ích nhóm.' }), 201);
        const caseId = referral.caseId as string;
        await until(() => inspector.get(`/inspection-cases/${caseId}`), (r) => r.status === 200 && r.body.status === 'open', 'the inspection case to open');
        await assessedPartial(proposalId);
        // An allegation is not a finding: liability waits while the case is open.
        expect((await evaluator.post(`/evaluations/${proposalId}/liability`, { liability: 'excluded', reasons: ['Đúng phương án.'] })).status).toBe(422);
        expect((await evaluator.post(`/evaluations/${proposalId}/liability`, { liability: 'upheld', reasons: ['Chờ kết luận.'] })).status).toBe(422);
        // The person the case is about never records its finding.
        expect((await as('u-cds-chuyen-vien', 'proposer').post(`/inspection-cases/${caseId}/finding`, { finding: 'dismissed', reasons: ['tự kết luận'] })).status).toBeGreaterThanOrEqual(403);
        ok(await inspector.post(`/inspection-cases/${caseId}/finding`, { finding, reasons: [finding === 'dismissed' ? 'Không có căn cứ.' : 'Có căn cứ vụ lợi.'] }));
        await until(() => evaluator.get(`/evaluations/${proposalId}`), (r) => JSON.stringify(r.body).includes(finding), 'the finding to reach the evaluation');
        if (finding === 'dismissed') {
          ok(await evaluator.post(`/evaluations/${proposalId}/liability`, { liability: 'excluded', reasons: ['Thực hiện đúng phương án, động cơ trong sáng.'] }));
        } else {
          expect((await evaluator.post(`/evaluations/${proposalId}/liability`, { liability: 'excluded', reasons: ['thử'] })).status).toBe(422);
          ok(await evaluator.post(`/evaluations/${proposalId}/liability`, { liability: 'upheld', reasons: ['Lạm dụng đã được kết luận.'] }));
        }
        const decided = await until(() => evaluator.get(`/evaluations/${proposalId}`), (r) => r.body?.liability !== null && r.body?.liability !== undefined, 'the liability decision');
        expect(decided.body.liability).toMatchObject({ decision: finding === 'dismissed' ? 'excluded' : 'upheld' });

        // Every assessment, referral, finding and decision about the cadre reached the cadre.
        const expected = ['ProposalApproved', 'PilotCompleted', 'AbuseReferred', 'InspectionCaseOpened', 'OutcomeAssessed', 'InspectionFindingRecorded', 'LiabilityDecided'];
        type Notice = { type: string; proposalId?: string; caseId?: string; summary: string };
        const aboutThis = (body: unknown) =>
          ((Array.isArray(body) ? body : ((body as { notices?: Notice[] })?.notices ?? [])) as Notice[]).filter((n) => n.proposalId === proposalId || n.caseId === caseId);
        const notices = await until(
          () => proposer.get('/me/notices'),
          (r) => r.status === 200 && expected.every((type) => aboutThis(r.body).some((n) => n.type === type)),
          'the notices of every step',
        );
        const about = aboutThis(notices.body);
        for (const type of expected) expect([type, about.some((n) => n.type === type)]).toEqual([type, true]);
        for (const notice of about) expect(notice.summary.length).toBeGreaterThan(0);
        // Notices are personal: a colleague does not see them.
        const colleague = await as('u-cds-pho-phong', 'collective').get('/me/notices');
        expect(JSON.stringify(colleague.body)).not.toContain(caseId);
      }, 120_000);
    }
  });
}
