import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsNumber, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, MinLength,
  ValidateNested,
} from 'class-validator';
import {
  type AbuseGround, type CauseKind, type CommitteeOpinion, type InspectionFinding, type Liability, type Outcome, PROHIBITED_ACTS, type ProhibitedAct,
} from '@dotpha/evaluation-domain';
import { VOTES, type Vote } from '@dotpha/org';
import { PageQuery } from '@dotpha/service-runtime';
import { EVALUATION_DEFAULT_SORT, EVALUATION_SORTS, type EvaluationSort } from '../application/evaluation-list';
import { INSPECTION_CASE_DEFAULT_SORT, INSPECTION_CASE_SORTS, type InspectionCaseSort } from '../application/inspection-case-list';

// The published schemas' bounds (libs/evaluation/domain/src/events.ts), checked here first so a
// caller learns which field is wrong rather than which event payload.
const ID = 100;
const STATEMENT = 4000;
const DOCUMENT = 50000;
/** Blank text is no record at all. */
const SAYS_SOMETHING = /\S/;

const OUTCOMES: readonly Outcome[] = ['achieved', 'partially-achieved', 'not-achieved'];
const CAUSE_KINDS: readonly CauseKind[] = ['objective', 'subjective'];
const LIABILITIES: readonly Liability[] = ['none', 'excluded', 'exempted', 'reduced', 'upheld'];
const ABUSE_GROUNDS: readonly AbuseGround[] = ['self-interest', 'corruption', 'negativity', 'discipline-violation'];
const OPINIONS: readonly CommitteeOpinion[] = ['supports', 'has-reservations', 'objects'];

export class ResultsReportDto {
  @ApiProperty({ description: 'The written results report (báo cáo kết quả)', maxLength: DOCUMENT })
  @IsString() @MinLength(1) @MaxLength(DOCUMENT) @Matches(SAYS_SOMETHING) report!: string;

  @ApiPropertyOptional({ type: [String], maxItems: 50 })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @ArrayUnique() @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(ID, { each: true })
  attachmentIds?: string[];
}

export class ConsultationDto {
  @ApiProperty({ description: 'The same-level party committee consulted (D73-4)', maxLength: ID })
  @IsString() @MinLength(1) @MaxLength(ID) committeeUnitId!: string;

  @ApiProperty({ enum: OPINIONS }) @IsIn(OPINIONS) opinion!: CommitteeOpinion;

  @ApiProperty({ maxLength: DOCUMENT }) @IsString() @MinLength(1) @MaxLength(DOCUMENT) @Matches(SAYS_SOMETHING) summary!: string;
}

export class DamageDto {
  @ApiProperty() @IsBoolean() caused!: boolean;

  @ApiPropertyOptional({ description: 'Estimate in VND; required when damage was caused', minimum: 0 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) estimate?: number;

  @ApiPropertyOptional({ maxLength: STATEMENT })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(STATEMENT) @Matches(SAYS_SOMETHING) description?: string;
}

export class CauseDto {
  @ApiProperty({ maxLength: STATEMENT }) @IsString() @MinLength(1) @MaxLength(STATEMENT) @Matches(SAYS_SOMETHING) description!: string;
  @ApiProperty({ enum: CAUSE_KINDS }) @IsIn(CAUSE_KINDS) kind!: CauseKind;
}

/** C14-2.4c: the four findings that, all positive, protect the cadre. */
export class MotiveFindingsDto {
  @ApiProperty() @IsBoolean() followedApprovedPlan!: boolean;
  @ApiProperty() @IsBoolean() pureMotive!: boolean;
  @ApiProperty() @IsBoolean() commonGood!: boolean;
  @ApiProperty() @IsBoolean() noSelfInterest!: boolean;
}

export class AssessmentDto {
  @ApiProperty({ enum: OUTCOMES }) @IsIn(OUTCOMES) outcome!: Outcome;

  @ApiProperty({ description: 'A notable partial result, which may still earn recognition' }) @IsBoolean() notable!: boolean;

  @ApiProperty({ type: DamageDto }) @ValidateNested() @Type(() => DamageDto) damage!: DamageDto;

  @ApiProperty({ type: [CauseDto], maxItems: 30 })
  @IsArray() @ArrayMaxSize(30) @ValidateNested({ each: true }) @Type(() => CauseDto) causes!: CauseDto[];

  @ApiProperty({ type: MotiveFindingsDto }) @ValidateNested() @Type(() => MotiveFindingsDto) motive!: MotiveFindingsDto;

  @ApiProperty({ description: "The evaluator's written assessment", maxLength: DOCUMENT })
  @IsString() @MinLength(1) @MaxLength(DOCUMENT) @Matches(SAYS_SOMETHING) assessment!: string;
}

export class LiabilityDto {
  @ApiProperty({ enum: LIABILITIES }) @IsIn(LIABILITIES) liability!: Liability;

  @ApiProperty({ type: [String], minItems: 1, maxItems: 20 })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(STATEMENT, { each: true })
  @Matches(SAYS_SOMETHING, { each: true })
  reasons!: string[];
}

export class AbuseReferralDto {
  @ApiProperty({ enum: ABUSE_GROUNDS, isArray: true, minItems: 1, maxItems: 4 })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(ABUSE_GROUNDS.length) @ArrayUnique() @IsIn(ABUSE_GROUNDS, { each: true })
  grounds!: AbuseGround[];

  @ApiProperty({ maxLength: DOCUMENT }) @IsString() @MinLength(1) @MaxLength(DOCUMENT) @Matches(SAYS_SOMETHING) description!: string;
}

export class EvaluationVoteDto {
  @ApiProperty({ enum: VOTES, description: "A member's vote on the draft assessment (D73-eval, same rule as D73-8.1b)" })
  @IsIn(VOTES) vote!: Vote;
}

export class EvaluationTallyDto {
  @ApiPropertyOptional({
    description: 'The head closes the meeting: members who did not vote count as not in favour; needs a quorum (more than half took part)',
    default: false,
  })
  @IsOptional() @IsBoolean() closeMeeting?: boolean;
}

export class AnswerDto {
  @ApiProperty({ description: "The cadre's written answer to the assessment (C14-2.4f)", maxLength: DOCUMENT })
  @IsString() @MinLength(1) @MaxLength(DOCUMENT) @Matches(SAYS_SOMETHING) answer!: string;
}

const REPORTABLE_KINDS = ['prohibited-act'] as const;
const FINDINGS: readonly InspectionFinding[] = ['substantiated', 'dismissed'];

/** D73-6, D73-6b: a report of a prohibited act, which goes to the inspection body. */
export class ProhibitedActReportDto {
  @ApiProperty({ enum: REPORTABLE_KINDS, description: 'Abuse of a proposal is referred through /evaluations/{proposalId}/abuse-referrals' })
  @IsIn(REPORTABLE_KINDS) kind!: 'prohibited-act';

  @ApiProperty({ type: [String], minItems: 1, maxItems: 50, description: 'Users of the instance the report is about' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ArrayUnique() @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(ID, { each: true })
  subjectIds!: string[];

  @ApiProperty({ description: 'The unit where it happened, counted in the periodic reports', maxLength: ID })
  @IsString() @MinLength(1) @MaxLength(ID) unitId!: string;

  @ApiProperty({ enum: PROHIBITED_ACTS, isArray: true, minItems: 1 })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(PROHIBITED_ACTS.length) @ArrayUnique() @IsIn(PROHIBITED_ACTS, { each: true })
  grounds!: ProhibitedAct[];

  @ApiProperty({ maxLength: DOCUMENT }) @IsString() @MinLength(1) @MaxLength(DOCUMENT) @Matches(SAYS_SOMETHING) description!: string;

  @ApiPropertyOptional({ description: 'The proposal the act obstructed, if any', format: 'uuid' })
  @IsOptional() @IsUUID() proposalId?: string;
}

export class FindingDto {
  @ApiProperty({ enum: FINDINGS, description: 'C14-2.4e: only a substantiated finding removes protection' })
  @IsIn(FINDINGS) finding!: InspectionFinding;

  @ApiProperty({ type: [String], minItems: 1, maxItems: 20 })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(STATEMENT, { each: true })
  @Matches(SAYS_SOMETHING, { each: true })
  reasons!: string[];
}

export class ListEvaluationsQuery extends PageQuery(Object.keys(EVALUATION_SORTS) as EvaluationSort[], ...EVALUATION_DEFAULT_SORT) {}

export class ListInspectionCasesQuery extends PageQuery(Object.keys(INSPECTION_CASE_SORTS) as InspectionCaseSort[], ...INSPECTION_CASE_DEFAULT_SORT) {}
