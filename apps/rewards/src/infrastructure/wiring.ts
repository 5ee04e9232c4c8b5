import { type DomainEvent, type Recorded, assertNever } from '@dotpha/kernel';
import type { EvaluationEvent, InspectionCaseEvent } from '@dotpha/evaluation-domain';
import {
  CADRE_STREAM_TYPE, type CadreRecordCommand, MAIL_PREFERENCE_STREAM_TYPE, REPORT_STREAM_TYPE, type ProposalPeople, RECOGNITION_STREAM_TYPE, type RecognitionEvent, type RecordHolder,
  type RecordReferralFinding, type ReferralFindingFact, cadreRecordDecider, cadreStreamId, mergePeople, peopleFrom, peopleIds, recognitionDecider, recognitionStreamId, standingOf,
} from '@dotpha/rewards-domain';
import { type ServiceKernel, type ServiceSpec, documentAccess, reactionMetadata, reactor, readAccessByStreamType } from '@dotpha/service-runtime';
import { Access } from '../application/access';
import { readableCadreRecord } from '../application/cadre-records.service';
import { NOTICE_THREADS, type NoticeThread } from '../application/notices';
import { noticeThreadsProjection } from './notices';
import { mailPreferencesProjection, noticeMailer } from './notice-mail';
import type { RecognitionView } from '../application/read-models';
import { cadreRecordsProjection, inspectionCasesProjection, proposalFactsProjection, recognitionsProjection } from './projections';

/** D73-10b: an event may name the people of its proposal; read defensively (older versions name the proposer alone). */
type NamingPeople<E extends DomainEvent> = E extends DomainEvent ? DomainEvent<E['type'], E['data'] & { readonly people?: unknown }> : never;

/**
 * D73-10b: the people of a proposal as the event names them, joined with what the other contexts'
 * events taught the notices read model (ProposalSubmitted, ProposalApproved, pilot and evaluation
 * events). Payloads are read defensively: events written before D73-10b name the proposer alone.
 */
async function peopleOf(kernel: ServiceKernel, proposalId: string, proposerId: string, named?: unknown): Promise<ProposalPeople> {
  const fromEvent = peopleFrom(named, proposerId);
  const thread = await kernel.readModels.get<NoticeThread>(NOTICE_THREADS, `proposal-${proposalId}`);
  const known = thread?.data.people;
  return known ? mergePeople(fromEvent, { ...known, proposerId }) : fromEvent;
}

/**
 * DOMAIN.md §4.6: an achieved outcome, or a notable partial one, is recommended for recognition;
 * the decider lets the partial one be praised only (D73-10c).
 */
const recommendRecognition = reactor<NamingPeople<EvaluationEvent<'OutcomeAssessed'>>>({
  name: 'recommend-recognition',
  canHandle: ['OutcomeAssessed'],
  async react(event, kernel) {
    const { proposalId, proposerId, proposerUnitId, outcome, notable, motive, people: named } = event.data;
    if (!(outcome === 'achieved' || (outcome === 'partially-achieved' && notable))) return;
    const people = await peopleOf(kernel, proposalId, proposerId, named);
    await kernel.execute(recognitionDecider, RECOGNITION_STREAM_TYPE, recognitionStreamId(proposalId), {
      type: 'RecommendRecognition',
      data: { proposalId, proposerId, proposerUnitId, outcome, notable, noSelfInterest: motive.noSelfInterest, people },
      metadata: reactionMetadata(event, kernel.now()),
    });
  },
});

type Finding = InspectionCaseEvent<'InspectionFindingRecorded'> | EvaluationEvent<'ReferralFindingRecorded'>;
const FINDING_EVENTS: readonly Finding['type'][] = ['InspectionFindingRecorded', 'ReferralFindingRecorded'];
const isFinding = (event: { readonly type: string }): event is Recorded<Finding> => FINDING_EVENTS.some((type) => type === event.type);

/**
 * C14-2.4e: the finding on a referral's case, from the case itself (InspectionFindingRecorded) or
 * from its echo on the evaluation stream (ReferralFindingRecorded). The echo follows AbuseReferred
 * on the same stream, and the same reactor takes both, so it arrives after the referral whatever
 * the partitions; the deciders take a finding once, whichever comes first, and a finding on a
 * case they never heard of changes nothing. Null for a case that is not about a referred proposal.
 */
function findingOf(event: Recorded<Finding>): (ReferralFindingFact & { readonly holderIds: readonly string[] }) | null {
  if (event.type === 'InspectionFindingRecorded') {
    const { kind, proposalId, caseId, finding, recordedAt, subjectIds } = event.data;
    if (kind !== 'abuse-referral' || !proposalId) return null;
    return { proposalId, caseId, finding, foundAt: recordedAt, holderIds: subjectIds };
  }
  const { proposalId, proposerId, caseId, finding, foundAt } = event.data;
  return { proposalId, caseId, finding, foundAt, holderIds: [proposerId] };
}

/**
 * C14-2.4e: abuse referred at any stage suspends the proposal's recognition, even one not yet
 * recommended, until the finding on the inspection case the referral opened (evaluation opens it
 * under the referral's id, AbuseReferred.referralId): `dismissed` lifts that referral's bar,
 * `substantiated` confirms it for good (C14-2.4d).
 */
const barRecognition = reactor<EvaluationEvent<'AbuseReferred'> | Finding>({
  name: 'bar-recognition',
  canHandle: ['AbuseReferred', ...FINDING_EVENTS],
  async react(event, kernel) {
    const metadata = reactionMetadata(event, kernel.now());
    if (event.type !== 'AbuseReferred') {
      const found = findingOf(event);
      if (!found) return;
      const { holderIds: _, ...data } = found;
      await kernel.execute(recognitionDecider, RECOGNITION_STREAM_TYPE, recognitionStreamId(data.proposalId), { type: 'RecordReferralFinding', data, metadata });
      return;
    }
    const { proposalId, proposerId, proposerUnitId, referralId, grounds, referredAt } = event.data;
    await kernel.execute(recognitionDecider, RECOGNITION_STREAM_TYPE, recognitionStreamId(proposalId), {
      type: 'RecordAbuseReferral',
      data: { proposalId, proposerId, proposerUnitId, referralId, caseId: referralId, grounds, referredAt },
      metadata,
    });
  },
});

type Holder = NonNullable<RecordHolder['holder']>;

/**
 * The cadre's record gathers the liability decisions, referrals (with their findings, C14-2.4e)
 * and recognitions of all their proposals; since D73-10b a recognition and a liability decision
 * land on the record of each person they name, in that person's own unit.
 */
type RecordFact = NamingPeople<EvaluationEvent<'LiabilityDecided'> | EvaluationEvent<'AbuseReferred'> | RecognitionEvent<'RecognitionGranted'>>;

const cadreRecord = reactor<RecordFact | Finding>({
  name: 'cadre-record',
  canHandle: ['LiabilityDecided', 'AbuseReferred', 'RecognitionGranted', ...FINDING_EVENTS],
  async react(event, kernel) {
    if (isFinding(event)) {
      // C14-2.4e: the referral on each record that holds it shows its finding.
      const found = findingOf(event);
      if (!found) return;
      const { holderIds, ...fact } = found;
      for (const holderId of new Set(holderIds)) {
        const command: RecordReferralFinding = { type: 'RecordReferralFinding', data: { ...fact, holderId }, metadata: reactionMetadata(event, kernel.now()) };
        await kernel.execute(cadreRecordDecider, CADRE_STREAM_TYPE, cadreStreamId(holderId), command);
      }
      return;
    }
    const command = cadreRecordCommand(event);
    const { proposalId, proposerId, proposerUnitId } = command.data;
    const named = namedIn(event);
    const people = await peopleOf(kernel, proposalId, proposerId, event.data.people);
    const holders: Holder[] = named.map((userId) => ({
      userId,
      unitId: kernel.config.org.users.find((u) => u.id === userId)?.unitId ?? proposerUnitId,
      as: standingOf(people, userId) ?? 'named',
    }));
    for (const holder of holders) {
      // The proposer's entry keeps the proposal's unit, as before D73-10b.
      const entry = holder.userId === proposerId ? { ...holder, unitId: proposerUnitId } : holder;
      await kernel.execute(cadreRecordDecider, CADRE_STREAM_TYPE, cadreStreamId(holder.userId), {
        ...command,
        data: { ...command.data, holder: entry },
        metadata: reactionMetadata(event, kernel.now()),
      } as EntryCommand);
    }
  },
});

/** Whose records the event lands on: the proposer always, and whoever else it names. */
function namedIn(event: Recorded<RecordFact>): string[] {
  // Read defensively: the fields came with later versions of the events.
  const data: { readonly proposerId: string; readonly protectedPersonIds?: unknown; readonly subjectIds?: unknown; readonly people?: unknown } = event.data;
  const ids = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);
  switch (event.type) {
    case 'LiabilityDecided':
      // D73-10b: the protection covers each person the approved plan names (protectedPersonIds, v2).
      return [...new Set([data.proposerId, ...ids(data.protectedPersonIds)])];
    case 'AbuseReferred':
      return [...new Set([data.proposerId, ...ids(data.subjectIds)])];
    case 'RecognitionGranted': {
      return peopleIds(peopleFrom(data.people, data.proposerId));
    }
    default:
      return [data.proposerId];
  }
}

type EntryCommand = Exclude<CadreRecordCommand, RecordReferralFinding>;

function cadreRecordCommand(event: Recorded<RecordFact>): Omit<EntryCommand, 'metadata'> {
  switch (event.type) {
    case 'LiabilityDecided': {
      const { proposalId, proposerId, proposerUnitId, liability, decidedAt } = event.data;
      return { type: 'RecordLiability', data: { proposalId, proposerId, proposerUnitId, liability, decidedAt } };
    }
    case 'AbuseReferred': {
      const { proposalId, proposerId, proposerUnitId, referralId, grounds, referredAt } = event.data;
      return { type: 'RecordAbuseReferral', data: { proposalId, proposerId, proposerUnitId, referralId, caseId: referralId, grounds, referredAt } };
    }
    case 'RecognitionGranted': {
      const { proposalId, proposerId, proposerUnitId, awards, grantedAt } = event.data;
      return { type: 'RecordRecognition', data: { proposalId, proposerId, proposerUnitId, awards, grantedAt } };
    }
    default:
      return assertNever(event, 'cadre record fact');
  }
}

export const rewardsService: ServiceSpec = {
  name: 'rewards',
  // C14-2.4f: notices are fed by the events of every context; the periodic review (C14-2.5a,
  // C14-2.5d) counts proposals, reviews, pilots, evaluations and inspection cases by unit and field.
  reads: ['rewards', 'proposals', 'approvals', 'monitoring', 'evaluation'],
  projections: [recognitionsProjection, cadreRecordsProjection, proposalFactsProjection, inspectionCasesProjection, noticeThreadsProjection, mailPreferencesProjection],
  reactors: [recommendRecognition, barRecognition, cadreRecord, noticeMailer],
  /** The audit trail reads each stream by the predicate and the disclosure of its queries. */
  readAccess: readAccessByStreamType({
    [RECOGNITION_STREAM_TYPE]: documentAccess<RecognitionView>('recognitions', (caller, doc, kernel) => {
      const access = new Access(kernel.config.org);
      return access.seesRecognition(caller, doc) ? access.recognitionDisclosure(caller, doc) : 'none';
    }),
    [CADRE_STREAM_TYPE]: async (caller, stream, kernel) => {
      const access = new Access(kernel.config.org);
      return (await readableCadreRecord(kernel, access, caller, stream.key)).readable ? access.cadreRecordDisclosure() : 'none';
    },
    // A person's e-mail setting is theirs alone to read.
    [MAIL_PREFERENCE_STREAM_TYPE]: (caller, stream) => (caller.user.id === stream.key ? 'full' : 'none'),
    [REPORT_STREAM_TYPE]: (caller, stream, kernel) => (new Access(kernel.config.org).seesReport(caller, (stream.first.data as { unitId: string }).unitId) ? 'full' : 'none'),
  }),
};
