import { contractRegistry } from '@dotpha/contracts';
import type { PolicyInput } from '@dotpha/org';
import { type Caller, ok, startedPlatform, until } from './client';
import { KPI_DAYS, KPI_ONLINE, SUPERVISOR, YEAR, attestation, pilotApprovalWith, positiveMotive, proposalContent, today } from './fixtures';
import type { Platform } from './platform';

/**
 * The whole life cycle over HTTP (issue 3), written once and run in both modes: one process, and
 * five processes over the real Kafka broker and MongoDB-compatible server.
 */
export function describeLifecycle(mode: string, start: (policy: PolicyInput) => Promise<Platform>): void {
  /** The life cycle follows a scheme (đề án) with two KPIs and a budget of 200 million đồng. */
  const content = (title: string) => proposalContent(title, [], true);
  const pilotApproval = pilotApprovalWith([KPI_DAYS, KPI_ONLINE], 200_000_000);
  const types = (events: { type: string }[]) => events.map((e) => e.type);

  describe(`Life cycle over HTTP: ${mode}`, () => {
    describe("with the collective route for heads (Hà Nội 67-KH/TU; Decree 73's superior head is the default)", () => {
      const started = startedPlatform(() => start({ headProposalRoute: 'collective' }));
      const as = started.as;

      /** Carries an approved pilot to its completion, reporting once with the given KPI values. */
      async function runPilot(proposalId: string, proposer: Caller, kpiValues: { kpiId: string; value: number }[]) {
        const supervisor = as(SUPERVISOR, 'supervisor');
        const planned = await until(() => proposer.get(`/pilots/${proposalId}`), (r) => r.status === 200, 'the pilot to be planned');
        expect(planned.body).toMatchObject({ status: 'planned', kind: 'pilot', supervisorId: SUPERVISOR });
        ok(await proposer.post(`/pilots/${proposalId}/start`));
        ok(await proposer.post(`/pilots/${proposalId}/progress`, { kpiValues, milestonesMet: [{ milestoneId: 'm-quy-trinh', metOn: today }], narrative: 'Báo cáo tiến độ quý.' }), 201);
        const running = await until(() => supervisor.get(`/pilots/${proposalId}`), (r) => r.body?.lastReport !== undefined && r.body?.lastReport !== null, 'the progress report to show');
        return { running: running.body, complete: async () => ok(await supervisor.post(`/pilots/${proposalId}/complete`)) };
      }

      /**
       * D73-eval, C14-2.4f: the evaluator drafts the assessment, the collective of the province
       * committee (the evaluator's unit) votes on it, its chair tallies, and the cadre answers it in
       * writing before liability is decided.
       */
      async function collectiveAssesses(proposalId: string, proposer: Caller, assessment: Record<string, unknown>) {
        await assessedByCollective(as, proposalId, proposer, assessment);
      }

      async function openEvaluation(proposalId: string, proposer: Caller) {
        const evaluator = as('u-ubnd-danh-gia', 'evaluator');
        const opened = await until(() => evaluator.get(`/evaluations/${proposalId}`), (r) => r.status === 200 && r.body.status === 'open', 'the evaluation to open');
        ok(await proposer.post(`/evaluations/${proposalId}/results`, { report: 'Kết quả thực hiện thí điểm (văn bản).' }));
        ok(await evaluator.post(`/evaluations/${proposalId}/consult`, { committeeUnitId: 'tm-tinh-uy', opinion: 'supports', summary: 'Đảng ủy cùng cấp đồng ý đánh giá.' }));
        return { evaluator, opened: opened.body };
      }

      it('1. registration approved; draft → revision → approved pilot → off-target flag → partial with damage → liability reduced → recognition declined', async () => {
        // HCM3815-1: the department registers, the city committee approves the research direction.
        const deptHead = as('u-snv-giam-doc', 'unit-head');
        const committee = as('u-ubnd-pct-1', 'city-committee');
        const { initiativeId } = ok(await deptHead.post('/registrations', { year: YEAR, title: 'Số hóa hồ sơ cán bộ', field: 'administrative-reform', summary: 'Hồ sơ cán bộ điện tử toàn tỉnh.' }), 201);
        ok(await committee.post(`/registrations/tm-so-noi-vu/${YEAR}/${initiativeId}/approve`, { reasons: 'Phù hợp định hướng.' }));
        const registrations = await until(() => committee.get(`/registrations?year=${YEAR}`), (r) => JSON.stringify(r.body).includes('approved'), 'the registration to be approved');
        expect(JSON.stringify(registrations.body)).toContain(initiativeId);
        const missing = ok(await committee.get(`/registrations/missing?year=${YEAR}`));
        const missingUnits = missing.units.map((u: { unitId: string }) => u.unitId);
        expect(missingUnits).toContain('tm-so-tai-chinh');
        expect(missingUnits).not.toContain('tm-so-noi-vu');

        // A proposal by a cadre goes to the head of their own unit (C14-2.3a).
        const proposer = as('u-ccvc-chuyen-vien');
        const head = as('u-ccvc-truong-phong', 'unit-head');
        const { proposalId } = ok(await proposer.post('/proposals', content('Liên thông hồ sơ tuyển dụng')), 201);
        const drafted = await until(() => proposer.get(`/proposals/${proposalId}`), (r) => r.status === 200, 'the draft to show');
        expect(drafted.body).toMatchObject({ status: 'draft', proposerUnitId: 'tm-snv-ccvc' });
        ok(await proposer.post(`/proposals/${proposalId}/submit`));
        const review = await until(() => head.get(`/reviews/${proposalId}`), (r) => r.status === 200, 'the review to open');
        expect(review.body).toMatchObject({ round: 1, route: 'unit-head', reviewerUnitId: 'tm-snv-ccvc', reviewerIds: ['u-ccvc-truong-phong'] });
        await until(() => proposer.get(`/proposals/${proposalId}`), (r) => r.body.status === 'under-review', 'the proposal to be under review');

        ok(await head.post(`/reviews/${proposalId}/consult`, { opinion: 'Chi bộ đồng ý về chủ trương.' }));
        ok(await head.post(`/reviews/${proposalId}/request-revision`, { reasons: 'Bổ sung lộ trình và nguồn lực.' }));
        await until(() => proposer.get(`/proposals/${proposalId}`), (r) => r.body.status === 'revision-requested', 'the revision request to reach the proposal');

        ok(await proposer.put(`/proposals/${proposalId}`, content('Liên thông hồ sơ tuyển dụng (bổ sung lộ trình)')));
        ok(await proposer.post(`/proposals/${proposalId}/submit`));
        await until(() => head.get(`/reviews/${proposalId}`), (r) => r.body.round === 2, 'round 2 to open');
        ok(await head.post(`/reviews/${proposalId}/consult`, { opinion: 'Chi bộ đồng ý.' }));
        // D73-8.1a: the head never decides alone; the office's collective (head and deputy) votes on the plan.
        expect((await head.post(`/reviews/${proposalId}/approve`, pilotApproval)).status).toBe(422);
        await collectiveApproves(as, proposalId, head, [['u-ccvc-truong-phong', 'for'], ['u-ccvc-pho-phong', 'for']]);
        // C14-2.3d: no approval without the attestation.
        const unattested = await head.post(`/reviews/${proposalId}/approve`, { ...pilotApproval, attestation: { ...attestation, notContraryToLaw: false } });
        expect(unattested.status).toBe(422);
        ok(await head.post(`/reviews/${proposalId}/approve`, pilotApproval));
        await until(() => proposer.get(`/proposals/${proposalId}`), (r) => r.body.status === 'approved-pilot', 'the approval to reach the proposal');

        // C14-2.4a: one KPI off target raises a flag at once.
        const pilot = await runPilot(proposalId, proposer, [{ kpiId: 'k-days', value: 9 }, { kpiId: 'k-online', value: 50 }]);
        // The report and its flag are one decision, applied to the read model one event after the other.
        const flagged = await until(() => proposer.get(`/pilots/${proposalId}`), (r) => r.body.openFlags?.length > 0, 'the flag to show');
        expect(flagged.body).toMatchObject({ status: 'running', offTarget: true });
        expect(flagged.body.openFlags).toHaveLength(1);
        const offTarget = ok(await as(SUPERVISOR, 'supervisor').get('/pilots?offTarget=true'));
        expect(offTarget.map((p: { proposalId: string }) => p.proposalId)).toContain(proposalId);
        await pilot.complete();

        // D73-11: partial, with damage, objective causes, every motive finding positive → reduced.
        const { evaluator } = await openEvaluation(proposalId, proposer);
        await collectiveAssesses(proposalId, proposer, {
          outcome: 'partially-achieved', notable: true,
          damage: { caused: true, estimate: 30_000_000, description: 'Chi phí in lại biểu mẫu.' },
          causes: [{ description: 'Hạ tầng mạng của tỉnh gián đoạn.', kind: 'objective' }],
          motive: positiveMotive, assessment: 'Thực hiện đúng phương án được duyệt.',
        });
        ok(await evaluator.post(`/evaluations/${proposalId}/liability`, { liability: 'reduced', reasons: ['Thiệt hại do nguyên nhân khách quan.'] }));
        const evaluation = await until(() => evaluator.get(`/evaluations/${proposalId}`), (r) => r.body.liability !== undefined && r.body.liability !== null, 'the liability decision to show');
        expect(evaluation.body).toMatchObject({ status: 'liability-decided', liability: { decision: 'reduced' } });

        // The notable partial result is recommended for recognition; the organisation office declines.
        const office = as('u-snv-thi-dua', 'organization-office');
        await until(() => office.get(`/recognitions/${proposalId}`), (r) => r.status === 200 && r.body.status === 'recommended', 'recognition to be recommended');
        ok(await office.post(`/recognitions/${proposalId}/decline`, { reasons: ['Kết quả chưa đủ để khen thưởng.'] }));
        await until(() => office.get(`/recognitions/${proposalId}`), (r) => r.body.status === 'declined', 'the decline to show');
        const record = await until(() => office.get(`/cadres/u-ccvc-chuyen-vien/record`), (r) => r.status === 200 && r.body.liabilities?.length > 0, 'the liability on the cadre record');
        expect(record.body.liabilities[0]).toMatchObject({ proposalId, liability: 'reduced' });

        // The record behind it, stream by stream, in order.
        expect(types(ok(await proposer.get(`/proposals/${proposalId}/history`)))).toEqual([
          'ProposalDrafted', 'ProposalSubmitted', 'ProposalReviewOutcomeRecorded', 'ProposalReviewOutcomeRecorded', 'ProposalRevised',
          'ProposalSubmitted', 'ProposalReviewOutcomeRecorded', 'ProposalReviewOutcomeRecorded',
        ]);
        expect(types(ok(await head.get(`/reviews/${proposalId}/history`)))).toEqual([
          'ReviewOpened', 'PartyCommitteeConsulted', 'RevisionRequested', 'ReviewOpened', 'PartyCommitteeConsulted',
          'CollectiveVoteRecorded', 'CollectiveVoteRecorded', 'CollectiveVoteTallied', 'ProposalApproved',
        ]);
        expect(types(ok(await proposer.get(`/pilots/${proposalId}/history`)))).toEqual(['PilotPlanned', 'PilotStarted', 'ProgressReported', 'IssueFlagged', 'PilotCompleted']);
        expect(types(ok(await evaluator.get(`/evaluations/${proposalId}/history`)))).toEqual([
          'EvaluationOpened', 'ResultsReported', 'EvaluationPartyCommitteeConsulted', ...COLLECTIVE_EVALUATION, 'LiabilityDecided',
        ]);
        expect(types(ok(await office.get(`/recognitions/${proposalId}/history`)))).toEqual(['RecognitionRecommended', 'RecognitionDeclined']);
      });

      it('bad input is answered 4xx with a clear message and writes no event', async () => {
        const proposer = as('u-ccvc-chuyen-vien');
        const head = as('u-ccvc-truong-phong', 'unit-head');
        const incomplete = { ...content('Đề xuất còn thiếu'), report: { necessity: 'Cần thiết.' } };
        const { proposalId } = ok(await proposer.post('/proposals', incomplete), 201);
        const history = async () => types(ok(await proposer.get(`/proposals/${proposalId}/history`)));
        await until(() => proposer.get(`/proposals/${proposalId}`), (r) => r.status === 200, 'the draft to show');

        const cases: [string, () => Promise<{ status: number; body: any }>, number][] = [
          ['submit with missing report sections', () => proposer.post(`/proposals/${proposalId}/submit`), 422],
          ['an action outside the jurisdiction (as for an unknown id)', () => as('u-stc-chuyen-vien').put(`/proposals/${proposalId}`, incomplete), 404],
          ['an illegal transition (a review decision on a draft)', () => head.post(`/reviews/${proposalId}/approve`, pilotApproval), 404],
          ['an unknown id', () => proposer.post('/proposals/7d1f0a43-0b0e-4f43-9d0e-2d5a4d7e9b11/submit'), 404],
          ['malformed JSON', () => proposer.raw('PUT', `/proposals/${proposalId}`, '{"title": '), 400],
          ['an oversized body', () => proposer.put(`/proposals/${proposalId}`, { ...incomplete, report: { necessity: 'x'.repeat(300_000) } }), 413],
          ['a MongoDB operator in a field', () => proposer.put(`/proposals/${proposalId}`, { ...incomplete, title: { $gt: '' } }), 400],
          ['an unknown field', () => proposer.put(`/proposals/${proposalId}`, { ...incomplete, status: 'approved-pilot' }), 400],
          ['withdrawing twice (illegal transition)', async () => {
            ok(await proposer.post(`/proposals/${proposalId}/withdraw`, { reason: 'Rút để làm lại.' }));
            return proposer.post(`/proposals/${proposalId}/withdraw`, {});
          }, 409],
        ];
        for (const [what, attempt, status] of cases) {
          const reply = await attempt();
          expect([what, reply.status]).toEqual([what, status]);
          expect(typeof reply.body?.message === 'string' || Array.isArray(reply.body?.message)).toBe(true);
          expect(JSON.stringify(reply.body)).not.toMatch(/at .*\.(ts|js):\d+/);
        }
        expect(await history()).toEqual(['ProposalDrafted', 'ProposalWithdrawn']);
      });

      it("2. a head's proposal goes to the unit's collective, which votes; achieved → bonus points and replication", async () => {
        await headProposalAchieved(as, 'collective');
      });

      it('3. self-interest: only upheld liability, the abuse is referred, and no recognition is possible', async () => {
        const proposer = as('u-ccvc-chuyen-vien');
        const head = as('u-ccvc-truong-phong', 'unit-head');
        const { proposalId } = ok(await proposer.post('/proposals', content('Thuê ngoài dịch vụ số hóa')), 201);
        ok(await proposer.post(`/proposals/${proposalId}/submit`));
        await until(() => head.get(`/reviews/${proposalId}`), (r) => r.status === 200, 'the review to open');
        ok(await head.post(`/reviews/${proposalId}/consult`, { opinion: 'Đồng ý.' }));
        await collectiveApproves(as, proposalId, head, [['u-ccvc-truong-phong', 'for'], ['u-ccvc-pho-phong', 'for']]);
        ok(await head.post(`/reviews/${proposalId}/approve`, pilotApproval));
        const pilot = await runPilot(proposalId, proposer, [{ kpiId: 'k-days', value: 30 }, { kpiId: 'k-online', value: 10 }]);
        await pilot.complete();

        const { evaluator } = await openEvaluation(proposalId, proposer);
        await collectiveAssesses(proposalId, proposer, {
          outcome: 'not-achieved', notable: false,
          damage: { caused: true, estimate: 500_000_000, description: 'Hợp đồng thuê ngoài giá cao.' },
          causes: [{ description: 'Chọn nhà thầu có quan hệ thân quen.', kind: 'subjective' }],
          motive: { followedApprovedPlan: true, pureMotive: false, commonGood: false, noSelfInterest: false },
          assessment: 'Lợi dụng chủ trương để vụ lợi.',
        });
        // C14-2.4d / D73-11: self-interest is never protected.
        for (const liability of ['excluded', 'exempted', 'reduced']) {
          const refused = await evaluator.post(`/evaluations/${proposalId}/liability`, { liability, reasons: ['thử'] });
          expect([liability, refused.status]).toEqual([liability, 422]);
        }
        ok(await evaluator.post(`/evaluations/${proposalId}/liability`, { liability: 'upheld', reasons: ['Vụ lợi cá nhân.'] }));
        ok(await evaluator.post(`/evaluations/${proposalId}/abuse-referrals`, { grounds: ['self-interest'], description: 'Chuyển Ủy ban Kiểm tra xem xét.' }), 201);
        const evaluation = await until(() => evaluator.get(`/evaluations/${proposalId}`), (r) => r.body.referrals?.length === 1, 'the referral to show');
        expect(evaluation.body).toMatchObject({ liability: { decision: 'upheld' }, referrals: [{ grounds: ['self-interest'] }] });

        const office = as('u-snv-thi-dua', 'organization-office');
        const record = await until(() => office.get(`/cadres/u-ccvc-chuyen-vien/record`), (r) => r.body.abuseReferrals?.some((x: { proposalId: string }) => x.proposalId === proposalId), 'the referral on the cadre record');
        expect(record.body.liabilities.find((l: { proposalId: string }) => l.proposalId === proposalId)).toMatchObject({ liability: 'upheld' });
        const grant = await office.post(`/recognitions/${proposalId}/grant`, {
          awards: { bonusPoints: 2 }, proportionality: { scale: 'unit', effectiveness: 'moderate', influence: 'unit', justification: 'thử' },
        });
        expect([404, 409, 422]).toContain(grant.status);
        const recognition = await office.get(`/recognitions/${proposalId}`);
        if (recognition.status === 200) expect(recognition.body).toMatchObject({ barred: { grounds: ['self-interest'] } });
        expect(types(ok(await evaluator.get(`/evaluations/${proposalId}/history`)))).toEqual([
          'EvaluationOpened', 'ResultsReported', 'EvaluationPartyCommitteeConsulted', ...COLLECTIVE_EVALUATION, 'LiabilityDecided', 'AbuseReferred',
        ]);
      });
      it('public topics carried the life cycle without one restricted field (DOMAIN.md §5)', async () => {
        const contract = contractRegistry();
        const published = await until(() => started.platform.publicEvents(), (events) => events.some((e) => e.type === 'RecognitionGranted'), 'the public topics to carry the life cycle', 45_000);
        const seen = new Set(published.map((e) => e.type));
        for (const type of ['ProposalSubmitted', 'ReviewOpened', 'ProposalApproved', 'PilotCompleted', 'OutcomeAssessed', 'LiabilityDecided', 'RecognitionGranted']) {
          expect([type, seen.has(type)]).toEqual([type, true]);
        }
        for (const event of published) {
          const definition = contract.definition(event.type);
          expect([event.type, event.classification]).toEqual([event.type, 'public']);
          for (const field of definition.restricted ?? []) expect([event.type, field, field in (event.data as object)]).toEqual([event.type, field, false]);
        }
        // The submitted report (it names people) never left; the facts other agencies need did.
        const submitted = published.find((e) => e.type === 'ProposalSubmitted')!;
        expect(submitted.data).not.toHaveProperty('report');
        expect(submitted.data).toHaveProperty('proposerUnitId');
      });
    });

    describe('with the superior-head route for heads (D73-7c)', () => {
      const started = startedPlatform(() => start({ headProposalRoute: 'superior-head' }));
      const as = started.as;

      it("2. a head's proposal goes to the superior head, whose collective of five votes; achieved → bonus points and replication", async () => {
        await headProposalAchieved(as, 'superior-head');
      });
    });
  });

  /** What the collective's evaluation writes between the consultation and the liability decision (five members). */
  const COLLECTIVE_EVALUATION = ['AssessmentProposed', ...Array(5).fill('EvaluationVoteRecorded'), 'EvaluationVoteTallied', 'OutcomeAssessed', 'AssessmentAnswered'];

  /** D73-8.1a: the members vote on the plan and the chair tallies before anyone approves. */
  async function collectiveApproves(as: (userId: string, role?: string) => Caller, proposalId: string, chair: Caller, ballots: [string, string][]) {
    for (const [memberId, vote] of ballots) ok(await as(memberId, memberId === chair.userId ? chair.role : 'collective').post(`/reviews/${proposalId}/votes`, { vote }));
    ok(await chair.post(`/reviews/${proposalId}/tally`, {}));
    await until(() => chair.get(`/reviews/${proposalId}`), (r) => r.body?.tally !== undefined && r.body?.tally !== null, 'the tally to show');
  }

  /** The evaluator drafts, the province committee's collective (chair and four vice-chairs) votes, the chair tallies, the cadre answers. */
  async function assessedByCollective(as: (userId: string, role?: string) => Caller, proposalId: string, proposer: Caller, assessment: Record<string, unknown>) {
    const evaluator = as('u-ubnd-danh-gia', 'evaluator');
    const chair = as('u-ubnd-chu-tich', 'unit-head');
    ok(await evaluator.post(`/evaluations/${proposalId}/assessment`, assessment));
    // C14-2.4f: liability waits for the collective and for the cadre's answer.
    expect((await evaluator.post(`/evaluations/${proposalId}/liability`, { liability: 'upheld', reasons: ['quá sớm'] })).status).toBeGreaterThanOrEqual(400);
    ok(await chair.post(`/evaluations/${proposalId}/votes`, { vote: 'for' }));
    for (const member of ['u-ubnd-pct-1', 'u-ubnd-pct-2', 'u-ubnd-pct-3', 'u-ubnd-pct-4']) ok(await as(member, 'collective').post(`/evaluations/${proposalId}/votes`, { vote: 'for' }));
    ok(await chair.post(`/evaluations/${proposalId}/tally`, {}));
    await until(() => proposer.get(`/evaluations/${proposalId}`), (r) => r.body?.assessment !== undefined && r.body?.assessment !== null, 'the assessment to take effect');
    ok(await proposer.post(`/evaluations/${proposalId}/answer`, { answer: 'Tôi đã đọc kết quả đánh giá và không có ý kiến khác.' }));
    await until(() => evaluator.get(`/evaluations/${proposalId}`), (r) => r.body?.answer !== undefined && r.body?.answer !== null, 'the answer to show');
  }

  /** Scenario 2 under either setting of `headProposalRoute`. */
  async function headProposalAchieved(as: (userId: string, role?: string) => Caller, route: 'collective' | 'superior-head'): Promise<void> {
    const proposer = as('u-skhcn-giam-doc', 'proposer');
    const { proposalId } = ok(await proposer.post('/proposals', content('Sandbox dữ liệu mở cho doanh nghiệp khởi nghiệp')), 201);
    ok(await proposer.post(`/proposals/${proposalId}/submit`));

    const [chair, voters] =
      route === 'collective'
        ? [as('u-skhcn-pgd-1', 'collective'), [['u-skhcn-pgd-1', 'for'], ['u-skhcn-pgd-2', 'for'], ['u-skhcn-pgd-3', 'against']]]
        : [as('u-ubnd-chu-tich', 'unit-head'), [['u-ubnd-chu-tich', 'for'], ['u-ubnd-pct-1', 'for'], ['u-ubnd-pct-2', 'for'], ['u-ubnd-pct-3', 'against'], ['u-ubnd-pct-4', 'against']]];
    const review = await until(() => chair.get(`/reviews/${proposalId}`), (r) => r.status === 200, 'the review to open');
    if (route === 'collective') {
      // C14-2.3b: the head's own proposal goes to the unit's collective, without the head.
      expect(review.body).toMatchObject({ route: 'collective', reviewerUnitId: 'tm-so-khcn' });
      expect([...review.body.collectiveMemberIds].sort()).toEqual(['u-skhcn-pgd-1', 'u-skhcn-pgd-2', 'u-skhcn-pgd-3']);
    } else {
      expect(review.body).toMatchObject({ route: 'superior-head', reviewerUnitId: 'tm-ubnd', reviewerIds: ['u-ubnd-chu-tich'] });
    }
    ok(await chair.post(`/reviews/${proposalId}/consult`, { opinion: 'Đảng ủy cùng cấp đồng ý.' }));
    for (const [memberId, vote] of voters) ok(await as(memberId, 'collective').post(`/reviews/${proposalId}/votes`, { vote }));
    ok(await chair.post(`/reviews/${proposalId}/tally`));
    const tallied = await until(() => chair.get(`/reviews/${proposalId}`), (r) => r.body.tally !== undefined && r.body.tally !== null, 'the tally to show');
    // D73-8.1b: more than half of all members approves (the tie rule is proven in libs/org and approvals).
    expect(tallied.body.tally).toMatchObject(route === 'collective' ? { for: 2, against: 1, members: 3, tie: false, result: 'approved' } : { for: 3, against: 2, members: 5, headVote: 'for', result: 'approved' });
    ok(await chair.post(`/reviews/${proposalId}/approve`, pilotApproval));
    const history = ok(await chair.get(`/reviews/${proposalId}/history`));
    expect(types(history)).toEqual(['ReviewOpened', 'PartyCommitteeConsulted', ...voters.map(() => 'CollectiveVoteRecorded'), 'CollectiveVoteTallied', 'ProposalApproved']);
    // HCM3815-2: the collective that decided is on record.
    expect(history.at(-1).data.decidedBy).toMatchObject({ collective: true });

    const pilotProposer = as('u-skhcn-giam-doc', 'proposer');
    await until(() => pilotProposer.get(`/proposals/${proposalId}`), (r) => r.body.status === 'approved-pilot', 'the approval to reach the proposal');
    const supervisor = as(SUPERVISOR, 'supervisor');
    await until(() => supervisor.get(`/pilots/${proposalId}`), (r) => r.status === 200, 'the pilot to be planned');
    ok(await pilotProposer.post(`/pilots/${proposalId}/start`));
    ok(await pilotProposer.post(`/pilots/${proposalId}/progress`, { kpiValues: [{ kpiId: 'k-days', value: 8 }, { kpiId: 'k-online', value: 90 }], milestonesMet: [{ milestoneId: 'm-quy-trinh', metOn: today }], narrative: 'Đạt mục tiêu.' }), 201);
    const onTarget = await until(() => supervisor.get(`/pilots/${proposalId}`), (r) => r.body.lastReport !== undefined && r.body.lastReport !== null, 'the report to show');
    expect(onTarget.body).toMatchObject({ offTarget: false, openFlags: [] });
    ok(await supervisor.post(`/pilots/${proposalId}/complete`));

    const evaluator = as('u-ubnd-danh-gia', 'evaluator');
    await until(() => evaluator.get(`/evaluations/${proposalId}`), (r) => r.status === 200, 'the evaluation to open');
    ok(await pilotProposer.post(`/evaluations/${proposalId}/results`, { report: 'Đạt toàn bộ chỉ tiêu.' }));
    ok(await evaluator.post(`/evaluations/${proposalId}/consult`, { committeeUnitId: 'tm-tinh-uy', opinion: 'supports', summary: 'Đồng ý.' }));
    await assessedByCollective(as, proposalId, pilotProposer, { outcome: 'achieved', notable: false, damage: { caused: false }, causes: [], motive: positiveMotive, assessment: 'Hoàn thành xuất sắc.' });
    // D73-11: an achieved outcome carries no liability.
    expect((await evaluator.post(`/evaluations/${proposalId}/liability`, { liability: 'excluded', reasons: ['thử'] })).status).toBe(422);
    ok(await evaluator.post(`/evaluations/${proposalId}/liability`, { liability: 'none', reasons: ['Hoàn thành.'] }));

    const office = as('u-snv-thi-dua', 'organization-office');
    await until(() => office.get(`/recognitions/${proposalId}`), (r) => r.status === 200 && r.body.status === 'recommended', 'recognition to be recommended');
    ok(await office.post(`/recognitions/${proposalId}/grant`, {
      awards: { bonusPoints: 5, commendation: { level: 'reward', form: 'Bằng khen của Chủ tịch UBND tỉnh' } },
      proportionality: { scale: 'province', effectiveness: 'high', influence: 'province', justification: 'Mô hình áp dụng được toàn tỉnh.' },
    }));
    const record = await until(() => office.get('/cadres/u-skhcn-giam-doc/record'), (r) => r.status === 200 && r.body.recognitions?.some((x: { proposalId: string }) => x.proposalId === proposalId), 'the recognition on the cadre record');
    expect(record.body.totalBonusPoints).toBeGreaterThanOrEqual(5);
    // C14-2.5a: the model is recommended for replication.
    ok(await as('u-ubnd-pct-1', 'city-committee').post(`/recognitions/${proposalId}/replication`, { targetUnitIds: ['tm-so-tai-chinh', 'tm-so-xay-dung'], reviewPeriod: `${YEAR}`, reasons: ['Hiệu quả rõ rệt.'] }), 201);
    const recognition = await until(() => office.get(`/recognitions/${proposalId}`), (r) => r.body.replications?.length === 1, 'the replication to show');
    expect(recognition.body).toMatchObject({ status: 'granted' });
    expect(types(ok(await office.get(`/recognitions/${proposalId}/history`)))).toEqual(['RecognitionRecommended', 'RecognitionGranted', 'ReplicationRecommended']);
  }
}
