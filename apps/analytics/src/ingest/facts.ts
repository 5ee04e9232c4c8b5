import { localDate, workingDaysBetween } from '@dotpha/org';
import type { EventOf, PublishedEvent } from '../contract/published-events.generated';

/**
 * What central analytics keeps of one proposal of one instance: read from its public events only
 * (the published contract, docs/asyncapi.json), never a name or a free-text field. Every event
 * sets what it knows with min/max rules, so the facts come out the same whatever order the
 * topics deliver in (a proposal's events travel on five topics) and however often an event comes
 * again (`seen`: delivery is at least once).
 */
export interface ProposalFacts {
  _id: string;
  instance: string;
  proposalId: string;
  unitId?: string;
  field?: string;
  problemType?: string;
  isScheme?: boolean;
  revisions?: number;
  submittedAt?: string;
  decision?: 'approved-implementation' | 'approved-pilot' | 'rejected';
  decidedAt?: string;
  withdrawnAt?: string;
  pilotPlannedAt?: string;
  pilotStartedAt?: string;
  pilotEnd?: 'completed' | 'terminated';
  pilotEndedAt?: string;
  outcome?: string;
  outcomeRound?: number;
  liability?: string;
  recognizedAt?: string;
  /** Overdue steps by kind (a late decision, a late escalation, a late assessment…). */
  overdue: Record<string, number>;
  /** Derived on every change: what the figures group by. */
  status: ProposalStatus;
  period?: { year: number; quarter: string; month: string };
  leadWorkingDays?: number;
  overdueSteps: number;
  /** The proposal's contribution to each national count (0 or 1, lead days): summed by the figures. */
  counts: Record<Measure, number>;
  seen: string[];
  rev: number;
}

/** One registration of an initiative (Decree 73: each unit registers at least its quota a year). */
export interface RegistrationFacts {
  _id: string;
  instance: string;
  initiativeId: string;
  unitId: string;
  year: number;
  field?: string;
  state: 'registered' | 'approved' | 'rejected';
  registeredAt?: string;
  decidedAt?: string;
  seen: string[];
  rev: number;
}

/** Where a proposal stands, furthest step first. */
export const STATUSES = [
  'recognized', 'liability-decided', 'evaluated', 'pilot-completed', 'pilot-terminated', 'pilot-running', 'pilot-planned',
  'approved-implementation', 'approved-pilot', 'rejected', 'withdrawn', 'submitted', 'unknown',
] as const;
export type ProposalStatus = (typeof STATUSES)[number];

/** What the national figures count for each group of proposals. */
export const MEASURES = [
  'proposals', 'approved', 'rejected', 'withdrawn', 'decided', 'leadWorkingDays',
  'pilotsPlanned', 'pilotsRunning', 'pilotsCompleted', 'pilotsTerminated',
  'outcomeAchieved', 'outcomePartiallyAchieved', 'outcomeNotAchieved',
  'liabilityNone', 'liabilityExcluded', 'liabilityExempted', 'liabilityReduced', 'liabilityUpheld',
  'recognitions', 'overdueSteps',
] as const;
export type Measure = (typeof MEASURES)[number];

export interface FactsOptions {
  /** Public holidays (ISO dates) the working days skip, and the zone days are counted in. */
  readonly holidays?: readonly string[];
  readonly timeZone?: string;
}

const PROPOSAL_EVENTS = [
  'ProposalSubmitted', 'ProposalWithdrawn', 'ProposalApproved', 'ProposalRejected', 'RevisionRequested', 'ReviewEscalated',
  'PilotPlanned', 'PilotStarted', 'PilotCompleted', 'PilotTerminated', 'OutcomeAssessed', 'EvaluationClosed', 'LiabilityDecided',
  'RecognitionGranted',
] as const;
const REGISTRATION_EVENTS = ['InitiativeRegistered', 'RegistrationApproved', 'RegistrationRejected'] as const;
type ProposalEvent = EventOf<(typeof PROPOSAL_EVENTS)[number]>;
type RegistrationEvent = EventOf<(typeof REGISTRATION_EVENTS)[number]>;

export const isProposalEvent = (event: PublishedEvent): event is ProposalEvent => (PROPOSAL_EVENTS as readonly string[]).includes(event.type);
export const isRegistrationEvent = (event: PublishedEvent): event is RegistrationEvent => (REGISTRATION_EVENTS as readonly string[]).includes(event.type);

export const factsId = (instance: string, id: string) => `${instance}/${id}`;

/** The facts document an event changes: its id and collection, how it starts, how an event of it changes it. */
export interface FactsOf {
  readonly id: string;
  readonly kind: 'proposals' | 'registrations';
  readonly empty: () => ProposalFacts | RegistrationFacts;
  readonly apply: (facts: ProposalFacts | RegistrationFacts, event: PublishedEvent) => ProposalFacts | RegistrationFacts;
}

/** Where an event goes in analytics' facts; undefined for an event the figures do not read. */
export function factsOf(event: PublishedEvent, options: FactsOptions = {}): FactsOf | undefined {
  if (isProposalEvent(event)) {
    const { instance } = event;
    const { proposalId } = event.data;
    return {
      id: factsId(instance, proposalId), kind: 'proposals', empty: () => emptyProposal(instance, proposalId),
      apply: (facts, e) => applyProposalEvent(facts as ProposalFacts, e as ProposalEvent, options),
    };
  }
  if (isRegistrationEvent(event)) {
    const { instance } = event;
    const { unitId, year, initiativeId } = event.data;
    return {
      id: factsId(instance, initiativeId), kind: 'registrations', empty: () => emptyRegistration(instance, initiativeId, unitId, year),
      apply: (facts, e) => applyRegistrationEvent(facts as RegistrationFacts, e as RegistrationEvent),
    };
  }
  return undefined;
}

const earliest = (a: string | undefined, b: string) => (a === undefined || b < a ? b : a);
const latest = (a: string | undefined, b: string) => (a === undefined || b > a ? b : a);

export function emptyProposal(instance: string, proposalId: string): ProposalFacts {
  return { _id: factsId(instance, proposalId), instance, proposalId, overdue: {}, status: 'unknown', overdueSteps: 0, counts: countsOf({}), seen: [], rev: 0 };
}

/** The facts after one more event of the proposal (the caller has checked `seen`). */
export function applyProposalEvent(facts: ProposalFacts, event: ProposalEvent, options: FactsOptions = {}): ProposalFacts {
  const next: ProposalFacts = { ...facts, overdue: { ...facts.overdue }, seen: [...facts.seen, event.eventId], rev: facts.rev + 1 };
  const late = (kind: string, overdue: boolean | undefined) => {
    if (overdue) next.overdue[kind] = (next.overdue[kind] ?? 0) + 1;
  };
  switch (event.type) {
    case 'ProposalSubmitted': {
      const d = event.data;
      Object.assign(next, { unitId: d.proposerUnitId, field: d.field, problemType: d.problemType, isScheme: d.isScheme });
      next.revisions = Math.max(next.revisions ?? 0, d.revision);
      next.submittedAt = earliest(next.submittedAt, d.submittedAt);
      break;
    }
    case 'ProposalWithdrawn':
      next.unitId ??= event.data.proposerUnitId;
      next.withdrawnAt = event.data.withdrawnAt;
      break;
    case 'ProposalApproved':
    case 'ProposalRejected': {
      const at = event.type === 'ProposalApproved' ? event.data.decidedAt : event.data.rejectedAt;
      // The last decision stands (a rejection may follow a revision round's approval only by a new round).
      if (next.decidedAt === undefined || at >= next.decidedAt) {
        next.decidedAt = at;
        next.decision = event.type === 'ProposalApproved' ? `approved-${event.data.decision}` : 'rejected';
      }
      next.unitId ??= event.data.proposerUnitId;
      late('decision', event.data.overdue);
      break;
    }
    case 'RevisionRequested':
      late('revision-request', event.data.overdue);
      break;
    case 'ReviewEscalated':
      late('escalation', event.data.overdue);
      break;
    case 'PilotPlanned':
      next.pilotPlannedAt = earliest(next.pilotPlannedAt, event.data.plannedAt);
      break;
    case 'PilotStarted':
      next.pilotStartedAt = earliest(next.pilotStartedAt, event.data.startedAt);
      break;
    case 'PilotCompleted':
    case 'PilotTerminated':
      next.pilotEnd = event.type === 'PilotCompleted' ? 'completed' : 'terminated';
      next.pilotEndedAt = event.data.endedAt;
      break;
    case 'OutcomeAssessed':
      // A later round's assessment replaces an earlier one (the cadre's answer may reopen it).
      if (next.outcomeRound === undefined || (event.data.round ?? 0) >= next.outcomeRound) {
        next.outcome = event.data.outcome;
        next.outcomeRound = event.data.round ?? 0;
      }
      late('assessment', event.data.late);
      break;
    case 'EvaluationClosed':
      next.outcome = event.data.outcome;
      next.outcomeRound = Number.MAX_SAFE_INTEGER;
      next.liability ??= event.data.liability ?? undefined;
      break;
    case 'LiabilityDecided':
      next.liability = event.data.liability;
      break;
    case 'RecognitionGranted':
      next.recognizedAt = latest(next.recognizedAt, event.data.grantedAt);
      break;
  }
  return derive(next, options);
}

/** Status, period, lead time and overdue count: recomputed from the facts, never accumulated. */
function derive(facts: ProposalFacts, options: FactsOptions): ProposalFacts {
  const status: ProposalStatus = facts.recognizedAt ? 'recognized'
    : facts.liability ? 'liability-decided'
    : facts.outcome ? 'evaluated'
    : facts.pilotEnd ? (facts.pilotEnd === 'completed' ? 'pilot-completed' : 'pilot-terminated')
    : facts.pilotStartedAt ? 'pilot-running'
    : facts.pilotPlannedAt ? 'pilot-planned'
    : facts.withdrawnAt ? 'withdrawn'
    : facts.decision ?? (facts.submittedAt ? 'submitted' : 'unknown');
  const timeZone = options.timeZone ?? 'Asia/Ho_Chi_Minh';
  let period: ProposalFacts['period'];
  if (facts.submittedAt) {
    const day = localDate(facts.submittedAt, timeZone);
    const month = Number(day.slice(5, 7));
    period = { year: Number(day.slice(0, 4)), quarter: `${day.slice(0, 4)}-Q${Math.ceil(month / 3)}`, month: day.slice(0, 7) };
  }
  const leadWorkingDays = facts.submittedAt && facts.decidedAt
    ? workingDaysBetween(facts.submittedAt, facts.decidedAt, options.holidays ?? [], timeZone)
    : undefined;
  const overdueSteps = Object.values(facts.overdue).reduce((sum, n) => sum + n, 0);
  return { ...facts, status, period, leadWorkingDays, overdueSteps, counts: countsOf({ ...facts, leadWorkingDays, overdueSteps }) };
}

const camel = (value: string) => value.replace(/(^|-)(\w)/g, (_, _dash, c: string) => c.toUpperCase());

function countsOf(facts: Partial<ProposalFacts>): Record<Measure, number> {
  const counts = Object.fromEntries(MEASURES.map((m) => [m, 0])) as Record<Measure, number>;
  const one = (measure: string | undefined) => {
    if (measure && measure in counts) counts[measure as Measure] = 1;
  };
  if (facts.submittedAt) counts.proposals = 1;
  one(facts.decision === 'rejected' ? 'rejected' : facts.decision ? 'approved' : undefined);
  one(facts.withdrawnAt ? 'withdrawn' : undefined);
  if (facts.leadWorkingDays !== undefined) {
    counts.decided = 1;
    counts.leadWorkingDays = facts.leadWorkingDays;
  }
  one(facts.pilotPlannedAt ? 'pilotsPlanned' : undefined);
  one(facts.pilotEnd ? `pilots${camel(facts.pilotEnd)}` : facts.pilotStartedAt ? 'pilotsRunning' : undefined);
  one(facts.outcome ? `outcome${camel(facts.outcome)}` : undefined);
  one(facts.liability ? `liability${camel(facts.liability)}` : undefined);
  one(facts.recognizedAt ? 'recognitions' : undefined);
  counts.overdueSteps = facts.overdueSteps ?? 0;
  return counts;
}

export function emptyRegistration(instance: string, initiativeId: string, unitId: string, year: number): RegistrationFacts {
  return { _id: factsId(instance, initiativeId), instance, initiativeId, unitId, year, state: 'registered', seen: [], rev: 0 };
}

export function applyRegistrationEvent(facts: RegistrationFacts, event: RegistrationEvent): RegistrationFacts {
  const next: RegistrationFacts = { ...facts, seen: [...facts.seen, event.eventId], rev: facts.rev + 1 };
  if (event.type === 'InitiativeRegistered') {
    next.field = event.data.field;
    next.registeredAt = event.data.registeredAt;
  } else if (next.decidedAt === undefined || event.data.decidedAt >= next.decidedAt) {
    next.decidedAt = event.data.decidedAt;
    next.state = event.type === 'RegistrationApproved' ? 'approved' : 'rejected';
  }
  return next;
}
