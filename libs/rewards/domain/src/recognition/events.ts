import { type EventsOf, type Payload, Type, closedObject, defineEvents, definitionsOf, idsOf, stringEnum, wordsOf } from '@dotpha/kernel';
import {
  INSTITUTIONALIZATION_LEVELS,
  awardsSchema,
  grounds,
  id,
  instant,
  nullableId,
  people,
  proportionality,
  reasons,
  statement,
} from '../schema';

// ---- Payloads: the published JSON Schemas, types derived from the table below ----

const proposalProperties = { proposalId: id, proposerId: id, proposerUnitId: id };

const recognitionRecommended = closedObject({
  ...proposalProperties,
  outcome: stringEnum(['achieved', 'partially-achieved']),
  notable: Type.Boolean(),
  /** D73-10b (version 2): everyone the recognition reaches. */
  people,
  recommendedAt: instant,
});
const recognitionBarred = closedObject({
  ...proposalProperties,
  /** Null on bars recorded before C14-2.4e (version 1). */
  referralId: nullableId,
  caseId: nullableId,
  grounds,
  referredAt: instant,
  /** The recognition had already been granted: the organization office has it to review. */
  afterGrant: Type.Boolean(),
  barredAt: instant,
});

/** The finding on the case of a barring referral, and when the bar it ends or confirms was so decided (`at`). */
const barFinding = <const F extends string, const A extends string>(finding: F, at: A) =>
  closedObject({
    ...proposalProperties,
    /** The referral whose bar the finding ends; null for a bar recorded before C14-2.4e. */
    referralId: nullableId,
    caseId: id,
    finding: stringEnum([finding]),
    foundAt: instant,
    /** Another referral still awaits its finding, or one was substantiated: the recognition stays barred. */
    stillBarred: Type.Boolean(),
    ...({ [at]: instant } as { [K in A]: typeof instant }),
  });
const recognitionBarLifted = barFinding('dismissed', 'liftedAt');
const recognitionBarConfirmed = barFinding('substantiated', 'confirmedAt');

const recognitionGranted = closedObject({
  ...proposalProperties,
  awards: awardsSchema,
  proportionality,
  /** D73-10b (version 2): each of them has the recognition on their record. */
  people,
  grantedBy: id,
  grantedAt: instant,
});
const recognitionDeclined = closedObject({ proposalId: id, proposerId: id, reasons, declinedBy: id, declinedAt: instant });
const replicationRecommended = closedObject({
  proposalId: id,
  replicationId: id,
  /** Units the model should spread to; empty means the whole instance. */
  targetUnitIds: idsOf(id, 500),
  /** The periodic review (sơ kết, tổng kết) that found it effective: 2026, 2026-H1 or 2026-Q3. */
  reviewPeriod: Type.String({ pattern: '^\\d{4}(-(H[12]|Q[1-4]))?$' }),
  reasons,
  recommendedBy: id,
  recommendedAt: instant,
});
const institutionalizationProposed = closedObject({
  proposalId: id,
  institutionalizationId: id,
  level: stringEnum(INSTITUTIONALIZATION_LEVELS),
  /** The body asked to regulate, e.g. the provincial People's Council or a ministry. */
  addressedTo: wordsOf(300),
  /** The regulation to issue or amend. */
  instrument: statement,
  reasons,
  proposedBy: id,
  proposedAt: instant,
});

type Recognition = EventsOf<typeof recognitionEvents>;
/** Each event of the table: `RecognitionEvent` is any of them, `RecognitionEvent<'RecognitionRecommended'>` one. */
export type RecognitionEvent<T extends keyof Recognition = keyof Recognition> = Recognition[T];

/** Version 1 named the proposer alone: they were the only person recognised. */
const withProposerAlone = (data: { proposerId: string }) => ({
  ...data,
  people: { proposerId: data.proposerId, coProposerIds: [], implementerIds: [], approvingHeadId: null },
});

/** The recognition's events: for each, its version, classification, restricted fields and the payload's published JSON Schema. */
export const recognitionEvents = defineEvents('rewards', {
  RecognitionRecommended: { version: 2, classification: 'public', upcasters: { 1: withProposerAlone }, schema: recognitionRecommended },
  /**
   * C14-2.4e (version 2): an abuse referral suspends the recognition while the inspection case it
   * opened has no finding; the bar names that referral and case. Version 1 named neither: it barred
   * for good, as the code then read every referral as proven.
   */
  RecognitionBarred: {
    version: 2,
    // An abuse referral is an accusation still under inspection.
    classification: 'internal',
    upcasters: {
      // Version 1 named no referral or case: read as a bar that no finding rewards can match names.
      1: (data: Omit<Payload<typeof recognitionBarred>, 'referralId' | 'caseId'>) => ({ ...data, referralId: null, caseId: null }),
    },
    schema: recognitionBarred,
  },
  /**
   * C14-2.4e: the case was dismissed; recognition goes on as if that referral had not been made.
   * As internal as the bar it lifts: both tell of a referral.
   */
  RecognitionBarLifted: { version: 1, classification: 'internal', schema: recognitionBarLifted },
  /** C14-2.4d, C14-2.4e: the abuse was substantiated; the proposal is never recognised or spread. */
  RecognitionBarConfirmed: { version: 1, classification: 'internal', schema: recognitionBarConfirmed },
  // Recognition is public praise meant to spread the model (C14-2.5a), its grounds and the people recognised included.
  RecognitionGranted: { version: 2, classification: 'public', upcasters: { 1: withProposerAlone }, schema: recognitionGranted },
  RecognitionDeclined: { version: 1, classification: 'internal', restricted: ['reasons'], schema: recognitionDeclined },
  ReplicationRecommended: { version: 1, classification: 'public', schema: replicationRecommended },
  InstitutionalizationProposed: { version: 1, classification: 'public', schema: institutionalizationProposed },
});
export const recognitionEventDefinitions = definitionsOf(recognitionEvents);

