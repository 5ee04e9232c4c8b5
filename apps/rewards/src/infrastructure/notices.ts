import type { Projection, RecordedEvent } from '@dotpha/kernel';
import { localDate } from '@dotpha/org';
import { type ProposalPeople, mergePeople, peopleFrom, peopleIds } from '@dotpha/rewards-domain';
import { NOTICE_THREADS, type Notice, type NoticeThread, recipientKey } from '../application/notices';

/** Events that only teach the thread who its people are. */
const PEOPLE_ONLY = ['ProposalSubmitted', 'ProposalReviewOutcomeRecorded'] as const;

/** Events that make a notice (C14-2.4f), by context. */
export const NOTICE_EVENTS = [
  // approvals
  'ReviewOpened', 'RevisionRequested', 'ProposalRejected', 'ProposalApproved', 'ReviewEscalated', 'ReviewClosed',
  // monitoring
  'PilotPlanned', 'PilotSuspended', 'PilotTerminated', 'PilotCompleted', 'IssueFlagged',
  // evaluation
  'EvaluationOpened', 'EvaluationVoteTallied', 'OutcomeAssessed', 'AbuseReferred',
  'InspectionCaseOpened', 'InspectionFindingRecorded', 'AssessmentAnswered', 'LiabilityDecided',
  // rewards
  'RecognitionRecommended', 'RecognitionGranted', 'RecognitionDeclined', 'RecognitionBarred', 'RecognitionBarLifted', 'RecognitionBarConfirmed',
  'PeriodicReportSent',
] as const;

type Data = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);
const obj = (v: unknown): Data => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Data) : {});
const day = (v: unknown): string => {
  const s = str(v);
  if (!s) return '';
  try {
    return localDate(s);
  } catch {
    return s;
  }
};

/** Which thread an event belongs to; undefined for an event that names none. */
export function threadOf(event: RecordedEvent): string | undefined {
  const data = obj(event.data);
  if (event.type === 'InspectionCaseOpened' || event.type === 'InspectionFindingRecorded') {
    const caseId = str(data['caseId']);
    return caseId ? `case-${caseId}` : undefined;
  }
  if (event.type === 'PeriodicReportSent') return event.streamId;
  const proposalId = str(data['proposalId']);
  return proposalId ? `proposal-${proposalId}` : undefined;
}

/** What an event teaches about the people of its proposal (read defensively: older versions name fewer). */
function peopleIn(event: RecordedEvent, known: ProposalPeople | null): ProposalPeople | null {
  const data = obj(event.data);
  const proposerId = str(data['proposerId']) ?? known?.proposerId;
  if (!proposerId) return known;
  let learnt = peopleFrom(data['people'] ?? obj(data['approval'])['people'], proposerId);
  if (event.type === 'ProposalSubmitted') learnt = { ...learnt, coProposerIds: strs(data['coProposerIds']) };
  if (event.type === 'ProposalApproved') {
    learnt = { ...learnt, implementerIds: strs(obj(data['plan'])['implementerIds']), approvingHeadId: str(obj(data['decidedBy'])['headId']) ?? null };
  }
  if (!known) return learnt;
  // A new submission names its co-proposers anew: who was dropped stops receiving its notices.
  const base = event.type === 'ProposalSubmitted' ? { ...known, coProposerIds: learnt.coProposerIds } : known;
  return mergePeople(base, learnt);
}

/** Others an event names, who receive every notice of the thread from then on. */
function membersIn(event: RecordedEvent): string[] {
  const data = obj(event.data);
  switch (event.type) {
    case 'LiabilityDecided':
      return strs(data['protectedPersonIds']);
    case 'AbuseReferred':
      return strs(data['subjectIds']);
    case 'InspectionCaseOpened':
      return [...strs(data['subjectIds']), ...strs([data['reporterId']])];
    case 'InspectionFindingRecorded':
      return strs(data['subjectIds']);
    default:
      return [];
  }
}

const OUTCOME: Record<string, string> = { achieved: 'đạt', 'partially-achieved': 'đạt một phần', 'not-achieved': 'không đạt' };
const LIABILITY: Record<string, string> = {
  none: 'không phát sinh trách nhiệm', excluded: 'loại trừ trách nhiệm', exempted: 'miễn trách nhiệm', reduced: 'giảm nhẹ trách nhiệm', upheld: 'xem xét trách nhiệm',
};
const DECISION: Record<string, string> = { implementation: 'triển khai thực hiện', pilot: 'thí điểm' };
const FINDING: Record<string, string> = { substantiated: 'có căn cứ', dismissed: 'không có căn cứ' };
const CASE_KIND: Record<string, string> = { 'abuse-referral': 'kiến nghị về dấu hiệu lợi dụng chủ trương', 'prohibited-act': 'phản ánh hành vi bị cấm' };

/** The notice of an event: a summary in Vietnamese and where to read the decision; null for no notice. */
export function noticeOf(event: RecordedEvent): Omit<Notice, 'id' | 'type' | 'at' | 'streamId' | 'position'> | null {
  const data = obj(event.data);
  const proposalId = str(data['proposalId']);
  const caseId = str(data['caseId']);
  const ids = { ...(proposalId && { proposalId }), ...(caseId && { caseId }) };
  const review = `/api/v1/reviews/${proposalId}`;
  const pilot = `/api/v1/pilots/${proposalId}`;
  const evaluation = `/api/v1/evaluations/${proposalId}`;
  const recognition = `/api/v1/recognitions/${proposalId}`;
  const caseAt = `/api/v1/inspection-cases/${caseId}`;
  const round = data['round'] !== undefined ? ` (vòng ${String(data['round'])})` : '';
  const at = (summary: string, readAt: string, to?: readonly string[]) => ({ ...ids, summary, readAt, ...(to && { to }) });
  switch (event.type) {
    case 'ReviewOpened':
      return at(`Đề xuất đã được tiếp nhận để thẩm định${round}; hạn xử lý ${day(data['dueBy'])}.`, review);
    case 'RevisionRequested':
      return at(`Cấp thẩm định yêu cầu chỉnh sửa, bổ sung đề xuất${round}. Lý do xem trong hồ sơ thẩm định.`, review);
    case 'ProposalRejected':
      return at(`Đề xuất không được phê duyệt${round}. Lý do và căn cứ xem trong hồ sơ thẩm định.`, review);
    case 'ProposalApproved':
      return at(`Đề xuất được phê duyệt để ${DECISION[String(data['decision'])] ?? 'thực hiện'}${round}.`, review);
    case 'ReviewEscalated':
      return at(`Việc thẩm định đề xuất được chuyển lên cấp trên${round}; hạn xử lý mới ${day(data['dueBy'])}.`, review);
    case 'ReviewClosed':
      return at(`Việc thẩm định đề xuất đã kết thúc${data['reason'] === 'withdrawn' ? ' do đề xuất được rút lại' : ''}.`, review);
    case 'PilotPlanned':
      return at(`Kế hoạch thí điểm đã được lập: từ ${day(data['startDate'])} đến ${day(data['endDate'])}.`, pilot);
    case 'PilotSuspended':
      return at('Việc thí điểm bị tạm dừng. Lý do xem trong hồ sơ thí điểm.', pilot);
    case 'PilotTerminated':
      return at('Việc thí điểm bị chấm dứt trước thời hạn. Lý do xem trong hồ sơ thí điểm.', pilot);
    case 'PilotCompleted':
      return at('Việc thí điểm đã hoàn thành; kết quả chuyển sang đánh giá.', pilot);
    case 'IssueFlagged':
      return at('Có vướng mắc được ghi nhận trong quá trình thí điểm.', pilot);
    case 'EvaluationOpened':
      return at(`Việc đánh giá kết quả đã mở: hạn nộp báo cáo kết quả ${day(data['reportDueBy'])}, hạn đánh giá ${day(data['evaluationDueBy'])}.`, evaluation);
    case 'OutcomeAssessed':
      return at(`Kết quả được đánh giá là ${OUTCOME[String(data['outcome'])] ?? 'đã có đánh giá'}. Nội dung đánh giá xem trong hồ sơ đánh giá; anh/chị có thể gửi ý kiến giải trình.`, evaluation);
    case 'EvaluationVoteTallied':
      return at(
        `Tập thể lãnh đạo đã biểu quyết về dự thảo đánh giá kết quả${round}: ${data['result'] === 'approved' ? 'thông qua' : 'không thông qua'}. Xem trong hồ sơ đánh giá.`,
        evaluation,
      );
    case 'AbuseReferred':
      return at('Có kiến nghị xem xét dấu hiệu lợi dụng chủ trương liên quan đến đề xuất; đây là kiến nghị, chưa phải kết luận. Xem trong hồ sơ đánh giá.', evaluation);
    case 'InspectionCaseOpened':
      return at(`Cơ quan kiểm tra đã mở vụ việc: ${CASE_KIND[String(data['kind'])] ?? 'vụ việc kiểm tra'}.`, caseAt);
    case 'InspectionFindingRecorded':
      return at(`Cơ quan kiểm tra đã kết luận vụ việc: ${FINDING[String(data['finding'])] ?? 'đã có kết luận'}.`, caseAt);
    case 'AssessmentAnswered': {
      const cadreId = str(data['cadreId']);
      return at('Ý kiến giải trình của anh/chị về kết quả đánh giá đã được ghi nhận vào hồ sơ.', evaluation, cadreId ? [cadreId] : undefined);
    }
    case 'LiabilityDecided':
      return at(`Quyết định về trách nhiệm: ${LIABILITY[String(data['liability'])] ?? 'đã có quyết định'}. Căn cứ và lý do xem trong hồ sơ đánh giá.`, evaluation);
    case 'RecognitionRecommended':
      return at(
        data['outcome'] === 'partially-achieved' ? 'Kết quả đạt một phần, nổi bật: được đề nghị biểu dương.' : 'Kết quả đạt: được đề nghị khen thưởng.',
        recognition,
      );
    case 'RecognitionGranted':
      return at('Anh/chị được ghi nhận, khen thưởng theo đề xuất; nội dung khen thưởng xem trong hồ sơ ghi nhận và hồ sơ cán bộ.', recognition);
    case 'RecognitionDeclined':
      return at('Đề nghị khen thưởng không được chấp thuận. Lý do xem trong hồ sơ ghi nhận.', recognition);
    case 'RecognitionBarred':
      return at('Việc khen thưởng đề xuất tạm dừng do có kiến nghị xem xét dấu hiệu lợi dụng chủ trương, cho đến khi cơ quan kiểm tra kết luận.', recognition);
    case 'RecognitionBarLifted':
      return at(
        data['stillBarred'] === true
          ? 'Kiến nghị được kết luận không có căn cứ; việc khen thưởng vẫn tạm dừng chờ kết luận về kiến nghị khác.'
          : 'Kiến nghị được kết luận không có căn cứ; việc khen thưởng đề xuất được tiếp tục như chưa có kiến nghị.',
        recognition,
      );
    case 'RecognitionBarConfirmed':
      return at('Kiến nghị được kết luận có căn cứ; đề xuất không được xem xét khen thưởng, nhân rộng.', recognition);
    case 'PeriodicReportSent': {
      const recipients = obj(data['recipients']);
      const to = [str(obj(recipients['partyCommittee'])['headId']), ...strs(recipients['organizationOfficeIds'])].filter((x): x is string => !!x);
      const period = str(obj(data['period'])['label']) ?? '';
      return at(`Báo cáo định kỳ kỳ ${period} của đơn vị ${String(data['unitId'])} đã được gửi đến anh/chị.`, `/api/v1/reports/periodic?period=${period}&unitId=${String(data['unitId'])}`, to);
    }
    default:
      return null;
  }
}

const index = (thread: Omit<NoticeThread, 'recipients'>): NoticeThread => {
  const all = new Set([...(thread.people ? peopleIds(thread.people) : []), ...thread.members, ...thread.notices.flatMap((n) => n.to ?? [])]);
  return { ...thread, recipients: Object.fromEntries([...all].map((id) => [recipientKey(id), true as const])) };
};

/**
 * One document per thread (proposal, inspection case, sent report): `key` gives one id per event,
 * and every notice of a proposal goes to the same people, so the thread is the natural unit. The
 * recipient index lets `/me/notices` read only the caller's threads.
 */
export const noticeThreadsProjection: Projection<NoticeThread> = {
  name: 'notice-threads',
  collection: NOTICE_THREADS,
  canHandle: [...PEOPLE_ONLY, ...NOTICE_EVENTS],
  key: threadOf,
  apply: (current, event) => {
    const threadId = threadOf(event) as string;
    const data = obj(event.data);
    const base: NoticeThread = current ?? {
      threadId,
      proposalId: str(data['proposalId']) ?? null,
      caseId: str(data['caseId']) ?? null,
      people: null,
      members: [],
      recipients: {},
      notices: [],
    };
    const people = threadId.startsWith('proposal-') ? peopleIn(event, base.people) : base.people;
    const members = [...new Set([...base.members, ...membersIn(event)])];
    const made = noticeOf(event);
    const notice: Notice | null = made && { id: event.eventId, type: event.type, ...made, at: event.occurredAt, streamId: event.streamId, position: event.streamPosition };
    const notices = notice && !base.notices.some((n) => n.id === notice.id) ? [...base.notices, notice] : base.notices;
    return index({ ...base, proposalId: base.proposalId ?? str(data['proposalId']) ?? null, people, members, notices });
  },
};
