import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsISO8601, IsNumber, IsObject, IsOptional, IsString, Matches, MaxLength, Min,
  MinLength, ValidateNested,
} from 'class-validator';
import {
  type ApprovalDecision, type KpiDirection, type ResourceKind, type Vote, APPROVAL_DECISIONS, KPI_DIRECTIONS, RESOURCE_KINDS,
  VOTES,
} from '@dotpha/approvals-domain';
import { PageQuery } from '@dotpha/service-runtime';
import { REVIEW_STATUSES, type ReviewStatus } from '../application/review-view';
import { REVIEW_DEFAULT_SORT, REVIEW_SORTS, type ReviewSort } from '../application/review-list';

/** Free text the published schemas accept (reasons, opinions, authorisations). */
const TEXT = 20_000;
const NAME = 500;
const ID = 200;
const LIST = 200;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class ConsultDto {
  @ApiProperty({ description: "The same-level party committee's opinion (D73-4)" })
  @IsString() @MinLength(1) @MaxLength(TEXT) opinion!: string;

  @ApiPropertyOptional({ description: 'When the committee gave it (ISO instant); defaults to now' })
  @IsOptional() @IsString() @MaxLength(40) @IsISO8601({ strict: true, strictSeparator: true }) consultedAt?: string;
}

export class VoteDto {
  @ApiProperty({ enum: VOTES, description: "The caller's own vote as a member of the collective (D73-8.1a)" })
  @IsIn(VOTES) vote!: Vote;
}

export class TallyDto {
  @ApiPropertyOptional({
    description:
      'The head closes the meeting before every member has voted; refused without a quorum (more than half took part) (D73-8.1b)',
    default: false,
  })
  @IsOptional() @IsBoolean() closeMeeting?: boolean;
}

export class OverrideDto {
  @ApiProperty({ description: "The head's written authorisation, carrying personal responsibility (D73-8.1c)" })
  @IsString() @MinLength(1) @MaxLength(TEXT) writtenAuthorization!: string;
}

/** Body of escalate, request-revision and reject. */
export class ReviewReasonsDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(TEXT) reasons!: string;
}

export class AttestationDto {
  @ApiProperty() @IsBoolean() notContraryToConstitution!: boolean;
  @ApiProperty() @IsBoolean() notContraryToPartyCharter!: boolean;
  @ApiProperty() @IsBoolean() notContraryToLaw!: boolean;
}

export class KpiDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(ID) id!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(NAME) name!: string;
  @ApiProperty({ description: 'Unit of measure, may be empty' }) @IsString() @MaxLength(ID) unit!: string;
  @ApiProperty() @IsNumber({ allowNaN: false, allowInfinity: false }) target!: number;
  @ApiProperty({ enum: KPI_DIRECTIONS }) @IsIn(KPI_DIRECTIONS) direction!: KpiDirection;
}

export class PlanMilestoneDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(ID) id!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(NAME) name!: string;
  @ApiProperty({ example: '2026-06-30' }) @IsString() @Matches(DAY) dueDate!: string;
}

export class ResourceDto {
  @ApiProperty({ enum: RESOURCE_KINDS }) @IsIn(RESOURCE_KINDS) kind!: ResourceKind;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(TEXT) description!: string;
  @ApiPropertyOptional() @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) amount?: number;
}

/**
 * C14-2.3e/f: every plan fixes its end date and supervisor; a pilot also its KPIs and resources;
 * dates within a sane window of the decision and attainable KPI targets (checked by the decider).
 */
export class PlanDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(TEXT) scope!: string;
  @ApiProperty({ example: '2026-04-01' }) @IsString() @Matches(DAY) startDate!: string;
  @ApiPropertyOptional({ type: String, format: 'date', example: '2026-09-30', nullable: true }) @IsOptional() @IsString() @Matches(DAY) endDate?: string | null;
  @ApiPropertyOptional({ type: [KpiDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(LIST) @ValidateNested({ each: true }) @Type(() => KpiDto) kpis?: KpiDto[];
  @ApiPropertyOptional({ type: [PlanMilestoneDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(LIST) @ValidateNested({ each: true }) @Type(() => PlanMilestoneDto) milestones?: PlanMilestoneDto[];
  @ApiPropertyOptional({ type: [ResourceDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(LIST) @ValidateNested({ each: true }) @Type(() => ResourceDto) resources?: ResourceDto[];
  @ApiPropertyOptional({ type: String, description: 'User id of the supervisor (role supervisor)', nullable: true })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(ID) supervisorId?: string | null;
  @ApiPropertyOptional({ type: [String], description: 'Users of the instance who carry the plan out (D73-10b); default none' })
  @IsOptional() @IsArray() @ArrayMaxSize(LIST) @ArrayUnique() @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(ID, { each: true })
  implementerIds?: string[];
}

export class ApproveDto {
  @ApiProperty({ enum: APPROVAL_DECISIONS }) @IsIn(APPROVAL_DECISIONS) decision!: ApprovalDecision;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(TEXT) reasons!: string;
  @ApiProperty({ type: AttestationDto, description: 'C14-2.3d: every attestation must be true' })
  @IsObject() @ValidateNested() @Type(() => AttestationDto) attestation!: AttestationDto;
  @ApiProperty({ type: PlanDto }) @IsObject() @ValidateNested() @Type(() => PlanDto) plan!: PlanDto;
}

export class ListReviewsQuery extends PageQuery(Object.keys(REVIEW_SORTS) as ReviewSort[], ...REVIEW_DEFAULT_SORT) {
  @ApiPropertyOptional({ enum: REVIEW_STATUSES }) @IsOptional() @IsIn(REVIEW_STATUSES) status?: ReviewStatus;
}
