import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsNumber, IsOptional, IsString, Matches, MaxLength, Min, MinLength,
  ValidateNested,
} from 'class-validator';
import type { IssueCategory, PilotKind, PilotStatus, SupportKind } from '@dotpha/monitoring-domain';
import { PageQuery } from '@dotpha/service-runtime';
import { PILOT_DEFAULT_SORT, PILOT_SORTS, type PilotSort } from '../application/pilot-list';

export const ISSUE_CATEGORIES = ['risk', 'damage', 'violation'] as const satisfies readonly IssueCategory[];
export const SUPPORT_KINDS = ['funding', 'people', 'equipment', 'guidance', 'other'] as const satisfies readonly SupportKind[];
export const PILOT_STATUSES = ['planned', 'running', 'suspended', 'completed', 'terminated'] as const satisfies readonly PilotStatus[];
export const PILOT_KINDS = ['pilot', 'implementation'] as const satisfies readonly PilotKind[];

// Bounds follow the published event schemas (libs/monitoring/domain/src/events.ts): what passes
// here is refused only by a rule, never by the schema after the decision.
const Text = (max: number) => applyDecorators(ApiProperty({ maxLength: max }), IsString(), MinLength(1), MaxLength(max));
const Id = () => Text(100);
const Num = () => applyDecorators(ApiProperty(), IsNumber({ allowNaN: false, allowInfinity: false }));
/** The decider checks that the day exists; the shape is checked here. */
const Day = (optional = false) =>
  applyDecorators(
    (optional ? ApiPropertyOptional : ApiProperty)({ example: '2026-06-30', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    ...(optional ? [IsOptional()] : []),
    IsString(),
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: ({ property }) => `${property} must be a date YYYY-MM-DD` }),
  );
const ListOf = (type: () => new () => object, max: number) =>
  applyDecorators(ApiPropertyOptional({ type: [type()] }), IsOptional(), IsArray(), ArrayMaxSize(max), ValidateNested({ each: true }), Type(type));
const Strings = (min: number, max: number, itemMax: number) =>
  applyDecorators(IsArray(), ArrayMinSize(min), ArrayMaxSize(max), IsString({ each: true }), MinLength(1, { each: true }), MaxLength(itemMax, { each: true }));
/** Flags a check, support or adjustment deals with: it closes them. */
const ResolvesFlagIds = () => applyDecorators(ApiPropertyOptional({ type: [String] }), IsOptional(), Strings(0, 200, 250));

export class KpiValueDto {
  @Id() kpiId!: string;
  @Num() value!: number;
}

export class MilestoneMetDto {
  @Id() milestoneId!: string;
  @Day() metOn!: string;
}

export class ReportProgressDto {
  @ListOf(() => KpiValueDto, 50) kpiValues?: KpiValueDto[];
  @ListOf(() => MilestoneMetDto, 100) milestonesMet?: MilestoneMetDto[];
  @Text(20000) narrative!: string;
}

export class RecordCheckDto {
  @Text(20000) findings!: string;
  @ResolvesFlagIds() resolvesFlagIds?: string[];
}

export class FlagIssueDto {
  @ApiProperty({ enum: ISSUE_CATEGORIES }) @IsIn(ISSUE_CATEGORIES) category!: IssueCategory;
  @Text(4000) description!: string;
}

export class ProvideSupportDto {
  @ApiProperty({ enum: SUPPORT_KINDS }) @IsIn(SUPPORT_KINDS) kind!: SupportKind;
  @Text(4000) description!: string;
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) amount?: number;
  @ResolvesFlagIds() resolvesFlagIds?: string[];
}

export class KpiTargetDto {
  @Id() kpiId!: string;
  @Num() target!: number;
}

export class MilestoneDueDateDto {
  @Id() milestoneId!: string;
  @Day() dueDate!: string;
}

export class NewMilestoneDto {
  @Id() id!: string;
  @Text(300) name!: string;
  @Day() dueDate!: string;
}

export class PilotChangesDto {
  @Day(true) startDate?: string;
  @Day(true) endDate?: string;
  @ListOf(() => KpiTargetDto, 50) kpiTargets?: KpiTargetDto[];
  @ListOf(() => MilestoneDueDateDto, 100) milestoneDueDates?: MilestoneDueDateDto[];
  @ListOf(() => NewMilestoneDto, 100) addedMilestones?: NewMilestoneDto[];
}

export class PilotReasonsDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: 20 }) @Strings(1, 20, 4000) reasons!: string[];
}

export class AdjustPilotDto extends PilotReasonsDto {
  @ApiProperty({ type: PilotChangesDto }) @IsDefined() @ValidateNested() @Type(() => PilotChangesDto) changes!: PilotChangesDto;
  @ResolvesFlagIds() resolvesFlagIds?: string[];
}

export class ListPilotsQueryDto extends PageQuery(Object.keys(PILOT_SORTS) as PilotSort[], ...PILOT_DEFAULT_SORT) {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'only pilots with a KPI off target or a flag still open' })
  @IsOptional() @IsIn(['true', 'false'])
  offTarget?: 'true' | 'false';

  @ApiPropertyOptional({ enum: PILOT_STATUSES }) @IsOptional() @IsIn(PILOT_STATUSES) status?: PilotStatus;
  @ApiPropertyOptional({ enum: PILOT_KINDS }) @IsOptional() @IsIn(PILOT_KINDS) kind?: PilotKind;
}
