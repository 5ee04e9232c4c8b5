import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsString, IsUUID, Matches, Max, MaxLength, Min,
  MinLength, ValidateIf, ValidateNested,
} from 'class-validator';
import { LIMITS, PROBLEM_TYPES, PROPOSAL_FIELDS, PROPOSAL_STATUSES } from '@dotpha/proposals-domain';
import { PageQuery } from '@dotpha/service-runtime';
import { PROPOSAL_DEFAULT_SORT, PROPOSAL_SORTS, type ProposalSort } from '../application/proposal-list';
import { ASSIGNMENT_DEFAULT_SORT, ASSIGNMENT_SORTS, type AssignmentSort } from '../application/assignment-list';
import { REGISTRATION_DEFAULT_SORT, REGISTRATION_SORTS, type RegistrationSort } from '../application/registration-list';

/** Years the registration stream accepts (its event schema bounds them the same way). */
const YEARS = { min: 2000, max: 2100 } as const;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Left out is fine, null is not: a draft may lack a part, but a part that is sent must be of its
 * type (IsOptional would let null through to the event schema).
 */
const MayBeOmitted = () => ValidateIf((_: object, value: unknown) => value !== undefined);

/** A report section may be missing or empty in a draft: submission is where the decider asks for it. */
function OptionalText(maxLength: number) {
  return applyDecorators(ApiPropertyOptional({ type: String, maxLength }), MayBeOmitted(), IsString(), MaxLength(maxLength));
}

function OptionalObject(type: () => new () => object) {
  // Swagger takes a lazy type only as a function named `type`.
  return applyDecorators(ApiPropertyOptional({ type: () => type() }), MayBeOmitted(), IsObject(), ValidateNested(), Type(type));
}

function OptionalList(type: () => new () => object, maxItems: number) {
  return applyDecorators(
    ApiPropertyOptional({ type: () => type(), isArray: true, maxItems }),
    MayBeOmitted(),
    IsArray(),
    ArrayMaxSize(maxItems),
    ValidateNested({ each: true }),
    Type(type),
  );
}

function RequiredText(maxLength: number) {
  return applyDecorators(ApiProperty({ minLength: 1, maxLength }), IsString(), MinLength(1), MaxLength(maxLength));
}

function YearField(source: 'body' | 'query') {
  const bounds = [ApiProperty({ minimum: YEARS.min, maximum: YEARS.max, example: 2026 }), IsInt(), Min(YEARS.min), Max(YEARS.max)];
  // A query string arrives as text; a body must already hold a number.
  return applyDecorators(...(source === 'query' ? [Type(() => Number), ...bounds] : bounds));
}

// ---- the proposal report (DOMAIN.md §4.2, libs/proposals/domain/src/proposal/report.ts) ----

export class TargetDto {
  @OptionalText(LIMITS.shortText) indicator?: string;
  @OptionalText(LIMITS.shortText) target?: string;
  @OptionalText(LIMITS.shortText) unit?: string;
}

export class ObjectiveDto {
  @OptionalText(LIMITS.longText) description?: string;
  @OptionalList(() => TargetDto, LIMITS.targetsPerObjective) targets?: TargetDto[];
}

export class ReportMilestoneDto {
  @OptionalText(LIMITS.shortText) name?: string;
  @ApiPropertyOptional({ example: '2026-06-30', description: 'YYYY-MM-DD' })
  @MayBeOmitted()
  @IsString()
  @Matches(ISO_DATE, { message: 'dueDate must be an ISO date (YYYY-MM-DD)' })
  dueDate?: string;
}

export class ImplementationPlanDto {
  @OptionalList(() => ReportMilestoneDto, LIMITS.milestones) milestones?: ReportMilestoneDto[];
  @OptionalText(LIMITS.longText) roadmap?: string;
}

export class ImpactForecastDto {
  @OptionalText(LIMITS.longText) positive?: string;
  @OptionalText(LIMITS.longText) negative?: string;
  @OptionalText(LIMITS.longText) expectedEffectiveness?: string;
}

/** D73-7: at least one kind is stated by submission time. */
export class ResourcesDto {
  @OptionalText(LIMITS.longText) funding?: string;
  @OptionalText(LIMITS.longText) people?: string;
  @OptionalText(LIMITS.longText) equipment?: string;
  @OptionalText(LIMITS.longText) other?: string;
}

/** Every section may be missing from a draft; submission refuses (422) naming what is missing. */
export class ReportDto {
  @OptionalText(LIMITS.longText) necessity?: string;
  @OptionalText(LIMITS.longText) basis?: string;
  @OptionalObject(() => ImpactForecastDto) impactForecast?: ImpactForecastDto;
  @OptionalText(LIMITS.longText) feasibility?: string;
  @OptionalText(LIMITS.longText) currentSituation?: string;
  @OptionalText(LIMITS.longText) content?: string;
  @OptionalList(() => ObjectiveDto, LIMITS.objectives) objectives?: ObjectiveDto[];
  @OptionalObject(() => ImplementationPlanDto) implementationPlan?: ImplementationPlanDto;
  @OptionalObject(() => ResourcesDto) resources?: ResourcesDto;
  @OptionalText(LIMITS.longText) organization?: string;
  @OptionalText(LIMITS.longText) recommendations?: string;
}

export class AttachmentDto {
  @RequiredText(LIMITS.shortText) name!: string;
  @RequiredText(LIMITS.uri) uri!: string;
}

/** The proposal's content as the proposer's form holds it; the report may be partial until submission. */
export class ProposalContentDto {
  @RequiredText(LIMITS.shortText) title!: string;
  @ApiProperty({ enum: PROPOSAL_FIELDS }) @IsIn(PROPOSAL_FIELDS) field!: (typeof PROPOSAL_FIELDS)[number];
  @ApiProperty({ enum: PROBLEM_TYPES }) @IsIn(PROBLEM_TYPES) problemType!: (typeof PROBLEM_TYPES)[number];
  @ApiProperty() @IsBoolean() isScheme!: boolean;
  @OptionalObject(() => ReportDto) report?: ReportDto;
  @OptionalList(() => AttachmentDto, LIMITS.attachments) attachments?: AttachmentDto[];
  @ApiPropertyOptional({ type: [String], maxItems: LIMITS.scopeUnits, description: 'Units the proposal would apply to; none = the proposer\'s unit' })
  @MayBeOmitted()
  @IsArray()
  @ArrayMaxSize(LIMITS.scopeUnits)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(LIMITS.id, { each: true })
  scopeUnitIds?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: LIMITS.people, description: 'D73-10b: other users of the instance who make the proposal with the proposer (protected and recognised with them)' })
  @MayBeOmitted()
  @IsArray()
  @ArrayMaxSize(LIMITS.people)
  @ArrayUnique()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(LIMITS.id, { each: true })
  coProposerIds?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'HN67-assign: the assigned task this proposal answers' })
  @MayBeOmitted()
  @IsUUID()
  assignmentId?: string;
}

export class WithdrawDto {
  @OptionalText(LIMITS.longText) reason?: string;
}

export class ProposalQueryDto extends PageQuery(Object.keys(PROPOSAL_SORTS) as ProposalSort[], ...PROPOSAL_DEFAULT_SORT) {
  @ApiPropertyOptional({ enum: PROPOSAL_STATUSES }) @MayBeOmitted() @IsIn(PROPOSAL_STATUSES) status?: (typeof PROPOSAL_STATUSES)[number];
}

// ---- annual registrations (DOMAIN.md §4.1, HCM3815-1) ----

/** The unit is the caller's own: a unit head registers for the unit they lead. */
export class RegisterInitiativeDto {
  @YearField('body') year!: number;
  @RequiredText(LIMITS.shortText) title!: string;
  @ApiProperty({ enum: PROPOSAL_FIELDS }) @IsIn(PROPOSAL_FIELDS) field!: (typeof PROPOSAL_FIELDS)[number];
  @RequiredText(LIMITS.longText) summary!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'HN67-assign: the assigned task this initiative answers' })
  @MayBeOmitted()
  @IsUUID()
  assignmentId?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: LIMITS.proposalsPerInitiative, description: 'HN67-assign: proposals of the unit that fulfil the initiative' })
  @MayBeOmitted()
  @IsArray()
  @ArrayMaxSize(LIMITS.proposalsPerInitiative)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  proposalIds?: string[];
}

export class ApproveRegistrationDto {
  @OptionalText(LIMITS.longText) reasons?: string;
}

export class RejectRegistrationDto {
  @RequiredText(LIMITS.longText) reasons!: string;
}

export class RegistrationsQueryDto extends PageQuery(Object.keys(REGISTRATION_SORTS) as RegistrationSort[], ...REGISTRATION_DEFAULT_SORT) {
  @YearField('query') year!: number;
}

export class MissingRegistrationsQueryDto {
  @YearField('query') year!: number;
  @ApiPropertyOptional({ maxLength: LIMITS.shortText, description: 'Expect every unit of this level (a label of the org data) in the caller\'s jurisdiction, instead of the units the caller\'s unit manages directly' })
  @MayBeOmitted()
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.shortText)
  level?: string;
}

// ---- assigned breakthrough tasks (DOMAIN.md §4.3, HN67-assign) ----

/** The assignee is a unit (`unitId`) or one cadre (`userId`, whose unit is taken from the org chart); at least one. */
export class AssignTaskDto {
  @RequiredText(LIMITS.shortText) title!: string;
  @RequiredText(LIMITS.longText) description!: string;
  @ApiProperty({ enum: PROPOSAL_FIELDS }) @IsIn(PROPOSAL_FIELDS) field!: (typeof PROPOSAL_FIELDS)[number];

  @ApiPropertyOptional({ maxLength: LIMITS.id, description: 'The unit assigned the task (within the leader\'s jurisdiction)' })
  @MayBeOmitted()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, { message: 'unitId is not a unit id' })
  unitId?: string;

  @ApiPropertyOptional({ maxLength: LIMITS.id, description: 'The cadre assigned the task; their unit must be the given unitId if both are sent' })
  @MayBeOmitted()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, { message: 'userId is not a user id' })
  userId?: string;

  @ApiPropertyOptional({ example: '2026-06-30', description: 'YYYY-MM-DD: when an answering proposal is expected' })
  @MayBeOmitted()
  @IsString()
  @Matches(ISO_DATE, { message: 'dueDate must be an ISO date (YYYY-MM-DD)' })
  dueDate?: string;
}

export class ListAssignmentsQuery extends PageQuery(Object.keys(ASSIGNMENT_SORTS) as AssignmentSort[], ...ASSIGNMENT_DEFAULT_SORT) {}
