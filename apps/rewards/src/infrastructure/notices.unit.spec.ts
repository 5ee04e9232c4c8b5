import { type RecordedEvent, canHandle } from '@dotpha/kernel';
import { type NoticeThread, noticesFor, recipientKey } from '../application/notices';
import { noticeThreadsProjection, threadOf } from './notices';

let seq = 0;
const positions = new Map<string, number>();
/** An event as another context would have recorded it (only what the projection reads). */
function event(type: string, streamId: string, data: Record<string, unknown>, occurredAt = `2026-03-0${1 + (seq % 8)}T08:00:00.000Z`): RecordedEvent {
  seq += 1;
  const position = (positions.get(streamId) ?? 0) + 1;
  positions.set(streamId, position);
  return {
    eventId: `e-${seq}`, type, version: 1, data, streamId, streamType: streamId.split('-')[0], streamPosition: position, occurredAt, recordedAt: occurredAt,
    actor: { userId: 'u-actor', role: 'evaluator' }, correlationId: 'c', causationId: null, instance: 'tm', classification: 'internal', prevHash: '0', hash: '1',
  };
}

/** Applies the events as the projection runner would: one document per key. */
function project(events: readonly RecordedEvent[]): Map<string, NoticeThread> {
  const docs = new Map<string, NoticeThread>();
  for (const e of events) {
    if (!canHandle(noticeThreadsProjection, e)) continue;
    const id = noticeThreadsProjection.key(e);
    if (id === undefined) continue;
    docs.set(id, noticeThreadsProjection.apply(docs.get(id), e));
  }
  return docs;
}

const P = 'p-1';
const subject = { proposalId: P, proposerId: 'u-proposer', proposerUnitId: 'unit-1' };
const ASSESSMENT = 'Đánh giá riêng tư về cán bộ: không được chép vào thông báo.';
const REASONS = 'Lý do bác bỏ chi tiết, chỉ đọc trong hồ sơ thẩm định.';

const lifeCycle = [
  event('ProposalSubmitted', `proposal-${P}`, { ...subject, field: 'administrative-reform', coProposerIds: ['u-co'], submittedAt: '2026-03-01T08:00:00.000Z' }),
  event('ReviewOpened', `review-${P}`, { ...subject, round: 1, headId: 'u-head', dueBy: '2026-03-10T10:00:00.000Z' }),
  event('ProposalApproved', `review-${P}`, {
    ...subject, round: 1, decision: 'pilot', reasons: REASONS, decidedBy: { headId: 'u-head' }, plan: { implementerIds: ['u-impl'] }, decidedAt: '2026-03-05T08:00:00.000Z',
  }),
  event('PilotSuspended', `pilot-${P}`, { proposalId: P, reasons: [REASONS], suspendedBy: 'u-sup', suspendedAt: '2026-03-06T08:00:00.000Z' }),
  event('OutcomeAssessed', `evaluation-${P}`, { ...subject, outcome: 'partially-achieved', notable: true, assessment: ASSESSMENT }),
  event('AssessmentAnswered', `evaluation-${P}`, { proposalId: P, cadreId: 'u-co', answer: 'Tôi không đồng ý vì số liệu tháng 5 chưa đủ', answeredAt: '2026-03-07T08:00:00.000Z' }),
  event('LiabilityDecided', `evaluation-${P}`, { ...subject, liability: 'excluded', reasons: [REASONS], protectedPersonIds: ['u-proposer', 'u-co', 'u-impl', 'u-head', 'u-protected'] }),
];

describe('Notices (C14-2.4f)', () => {
  it('C14-2.4f: every decision about the proposal reaches its proposer, newest first', () => {
    const threads = [...project(lifeCycle).values()];
    const mine = noticesFor('u-proposer', threads);
    expect(mine.map((n) => n.type)).toEqual(['LiabilityDecided', 'OutcomeAssessed', 'PilotSuspended', 'ProposalApproved', 'ReviewOpened']);
    expect(mine[mine.length - 1]).toMatchObject({ proposalId: P, streamId: `review-${P}`, position: 1, readAt: `/api/v1/reviews/${P}` });
    expect(mine[0].summary).toContain('loại trừ trách nhiệm');
  });

  it('C14-2.4f, D73-10b: the co-proposers, the implementers, the approving head and the protected persons are told too', () => {
    const threads = [...project(lifeCycle).values()];
    for (const userId of ['u-co', 'u-impl', 'u-head']) expect(noticesFor(userId, threads).map((n) => n.type)).toContain('ReviewOpened');
    // Named only by the liability decision: told from then on, and of everything of the proposal.
    expect(noticesFor('u-protected', threads).map((n) => n.type)).toContain('LiabilityDecided');
  });

  it('C14-2.4f: a cadre\'s own answer is shown to that cadre only', () => {
    const threads = [...project(lifeCycle).values()];
    expect(noticesFor('u-co', threads).map((n) => n.type)).toContain('AssessmentAnswered');
    expect(noticesFor('u-proposer', threads).map((n) => n.type)).not.toContain('AssessmentAnswered');
  });

  it('C14-2.4f: notices are personal: someone the proposal does not name reads none', () => {
    expect(noticesFor('u-stranger', [...project(lifeCycle).values()])).toEqual([]);
  });

  it('C14-2.4f: restricted free text (assessments, reasons, answers) is never copied into a notice', () => {
    const text = JSON.stringify(noticesFor('u-co', [...project(lifeCycle).values()]));
    expect(text).not.toContain(ASSESSMENT);
    expect(text).not.toContain(REASONS);
    expect(text).not.toContain('số liệu tháng 5');
  });

  it('C14-2.4f: a co-proposer learnt of after the first notices still sees them (recipients resolved when read)', () => {
    const [submitted, ...rest] = lifeCycle;
    const threads = [...project([...rest, submitted]).values()];
    expect(noticesFor('u-co', threads).map((n) => n.type)).toContain('ReviewOpened');
  });

  it('C14-2.4f: an inspection case reaches its subjects and its reporter, by case', () => {
    const opened = event('InspectionCaseOpened', 'inspection-case-c-1', {
      caseId: 'c-1', kind: 'prohibited-act', subjectIds: ['u-obstructor'], unitId: 'unit-2', grounds: ['obstructing-innovator'], description: 'Chi tiết', reporterId: 'u-reporter',
    }, '2026-04-01T08:00:00.000Z');
    const finding = event('InspectionFindingRecorded', 'inspection-case-c-1', { caseId: 'c-1', kind: 'prohibited-act', subjectIds: ['u-obstructor'], unitId: 'unit-2', finding: 'dismissed', reasons: ['x'] }, '2026-04-02T08:00:00.000Z');
    expect(threadOf(opened)).toBe('case-c-1');
    const threads = [...project([opened, finding]).values()];
    for (const userId of ['u-obstructor', 'u-reporter']) {
      expect(noticesFor(userId, threads).map((n) => [n.type, n.caseId])).toEqual([
        ['InspectionFindingRecorded', 'c-1'],
        ['InspectionCaseOpened', 'c-1'],
      ]);
    }
    expect(JSON.stringify(noticesFor('u-reporter', threads))).not.toContain('Chi tiết');
  });

  it('C14-2.4f: the same event delivered twice is one notice', () => {
    const opened = lifeCycle[1];
    const { apply } = noticeThreadsProjection;
    const thread = apply(apply(undefined, opened), opened);
    expect(thread.notices).toHaveLength(1);
  });

  it('indexes every recipient under a field name the read-model stores accept', () => {
    const thread = project(lifeCycle).get(`proposal-${P}`) as NoticeThread;
    expect(Object.keys(thread.recipients).every((k) => /^[A-Za-z][A-Za-z0-9_]*$/.test(k))).toBe(true);
    expect(thread.recipients[recipientKey('u-impl')]).toBe(true);
    expect(thread.recipients[recipientKey('u-stranger')]).toBeUndefined();
    expect(thread.people).toEqual({ proposerId: 'u-proposer', coProposerIds: ['u-co'], implementerIds: ['u-impl'], approvingHeadId: 'u-head' });
  });

  it('D73-10b: reads the people of pilot events and of the recorded approval, whatever their version', () => {
    const planned = event('PilotPlanned', `pilot-${P}`, {
      ...subject, startDate: '2026-04-01', endDate: '2026-09-30', people: { proposerId: 'u-proposer', coProposerIds: [], implementerIds: ['u-impl-2'], approvingHeadId: 'u-head' },
    });
    const outcome = event('ProposalReviewOutcomeRecorded', `proposal-${P}`, {
      proposalId: P, outcome: 'approved-pilot', approval: { people: { proposerId: 'u-proposer', coProposerIds: ['u-co-2'], implementerIds: [], approvingHeadId: 'u-head' } },
    });
    const oldPilot = event('PilotCompleted', `pilot-${P}`, { ...subject });
    const thread = project([planned, outcome, oldPilot]).get(`proposal-${P}`) as NoticeThread;
    expect(thread.people).toEqual({ proposerId: 'u-proposer', coProposerIds: ['u-co-2'], implementerIds: ['u-impl-2'], approvingHeadId: 'u-head' });
  });
});
