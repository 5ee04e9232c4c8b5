import { type ArgumentMetadata, BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min,
  MinLength, ValidateNested,
} from 'class-validator';
import { PROPOSAL_FIELDS } from '@dotpha/proposals-domain';
import { PageQuery } from '@dotpha/service-runtime';
import { RECOGNITION_DEFAULT_SORT, RECOGNITION_SORTS, type RecognitionSort } from '../application/recognition-list';
import type {
  CommendationLevel, Effectiveness, InstitutionalizationLevel, Reach,
} from '@dotpha/rewards-domain';

// The enums of the rewards domain lib, which publishes them as types only.
const COMMENDATION_LEVELS = ['praise', 'reward'] as const satisfies readonly CommendationLevel[];
const REACHES = ['unit', 'locality', 'province', 'national'] as const satisfies readonly Reach[];
const EFFECTIVENESS = ['moderate', 'high', 'outstanding'] as const satisfies readonly Effectiveness[];
const INSTITUTIONALIZATION_LEVELS = ['unit', 'local', 'central'] as const satisfies readonly InstitutionalizationLevel[];

// The bounds of the published events' schemas; the domain's own rules (caps, the 12 months) answer 422.
const STATEMENT = 4000;
const MAX_REASONS = 20;
const ID = 100;

export class CommendationDto {
  @ApiProperty({ enum: COMMENDATION_LEVELS, description: 'praise = biểu dương, reward = khen thưởng' })
  @IsIn(COMMENDATION_LEVELS) level!: CommendationLevel;
  @ApiProperty({ description: 'the instrument, e.g. a certificate of merit', maxLength: 300 })
  @IsString() @MinLength(1) @MaxLength(300) form!: string;
}

/** DOMAIN.md §4.6: at least one award is given (checked by the domain). */
export class AwardsDto {
  @ApiPropertyOptional({ type: CommendationDto })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => CommendationDto) commendation?: CommendationDto;
  @ApiPropertyOptional({ description: 'HP-points: bonus points in the annual cadre evaluation (domain cap applies)' })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 }) @Min(0) @Max(100) bonusPoints?: number;
  @ApiPropertyOptional({ description: 'promotion priority (đề bạt)' }) @IsOptional() @IsBoolean() promotionPriority?: boolean;
  @ApiPropertyOptional({ description: 'planning priority (quy hoạch)' }) @IsOptional() @IsBoolean() planningPriority?: boolean;
  @ApiPropertyOptional({ description: 'D73-10: the salary step raised this many months early (12)' })
  @IsOptional() @IsInt() @Min(1) @Max(24) salaryStepEarlyMonths?: number;
  @ApiPropertyOptional({ description: 'D73-10: counts as an excellent achievement towards rank promotion' })
  @IsOptional() @IsBoolean() excellentAchievement?: boolean;
}

/** HCM3815 step 2: the awards fit the scale, effectiveness and influence of the initiative. */
export class ProportionalityDto {
  @ApiProperty({ enum: REACHES }) @IsIn(REACHES) scale!: Reach;
  @ApiProperty({ enum: EFFECTIVENESS }) @IsIn(EFFECTIVENESS) effectiveness!: Effectiveness;
  @ApiProperty({ enum: REACHES }) @IsIn(REACHES) influence!: Reach;
  @ApiProperty({ maxLength: STATEMENT }) @IsString() @MinLength(1) @MaxLength(STATEMENT) justification!: string;
}

export class GrantRecognitionDto {
  @ApiProperty({ type: AwardsDto }) @IsObject() @ValidateNested() @Type(() => AwardsDto) awards!: AwardsDto;
  @ApiProperty({ type: ProportionalityDto }) @IsObject() @ValidateNested() @Type(() => ProportionalityDto) proportionality!: ProportionalityDto;
}

class RecognitionReasonsDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: MAX_REASONS })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_REASONS) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(STATEMENT, { each: true })
  reasons!: string[];
}

export class DeclineRecognitionDto extends RecognitionReasonsDto {}

export class RecommendReplicationDto extends RecognitionReasonsDto {
  @ApiProperty({ type: [String], description: 'units the model should spread to; empty = the whole instance', maxItems: 500 })
  @IsArray() @ArrayMaxSize(500) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(ID, { each: true })
  targetUnitIds!: string[];
  @ApiProperty({ description: 'the periodic review (sơ kết, tổng kết) that found it effective', example: '2026-H1' })
  @IsString() @Matches(/^\d{4}(-(H[12]|Q[1-4]))?$/) reviewPeriod!: string;
}

export class ProposeInstitutionalizationDto extends RecognitionReasonsDto {
  @ApiProperty({ enum: INSTITUTIONALIZATION_LEVELS }) @IsIn(INSTITUTIONALIZATION_LEVELS) level!: InstitutionalizationLevel;
  @ApiProperty({ description: 'the body asked to regulate', maxLength: 300 }) @IsString() @MinLength(1) @MaxLength(300) addressedTo!: string;
  @ApiProperty({ description: 'the regulation to issue or amend', maxLength: STATEMENT }) @IsString() @MinLength(1) @MaxLength(STATEMENT) instrument!: string;
}

const PERIOD = /^(H[12]-\d{4}|\d{4}|\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2})$/;
const UNIT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** C14-2.5d: `period` or (as before) `year`, one of them. */
export class PeriodicReportQuery {
  @ApiPropertyOptional({ description: 'H1-2026, H2-2026, 2026 or 2026-01-01..2026-06-30 (local dates, both included)', example: 'H1-2026' })
  @IsOptional() @IsString() @Matches(PERIOD) period?: string;
  @ApiPropertyOptional({ example: 2026, description: 'the calendar year; same as period=2026' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year?: number;
  @ApiPropertyOptional({ description: 'the unit and the units it manages' })
  @IsOptional() @IsString() @Matches(UNIT_ID) unitId?: string;
  @ApiPropertyOptional({ enum: PROPOSAL_FIELDS, description: 'the field of the proposals' })
  @IsOptional() @IsIn(PROPOSAL_FIELDS) field?: string;
  @ApiPropertyOptional({ enum: ['json', 'csv', 'pdf'], description: 'csv: text/csv, UTF-8, one header row; pdf: application/pdf, A4, with a chart' })
  @IsOptional() @IsIn(['json', 'csv', 'pdf']) format?: 'json' | 'csv' | 'pdf';
}

/** C14-2.5d: which unit's report, for which period, goes upward. */
export class SendPeriodicReportDto {
  @ApiProperty({ example: 'H1-2026' }) @IsString() @Matches(PERIOD) period!: string;
  @ApiProperty({ example: 'tm-so-noi-vu' }) @IsString() @Matches(UNIT_ID) unitId!: string;
  @ApiPropertyOptional({ enum: PROPOSAL_FIELDS }) @IsOptional() @IsIn(PROPOSAL_FIELDS) field?: string;
}

/** User ids are the organisation chart's, not UUIDs: bounded, no operators, no path tricks. */
@Injectable()
export class ParseUserIdPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(value)) {
      throw new BadRequestException(`${metadata.data ?? 'id'} is not a valid user id`);
    }
    return value;
  }
}

export class ListRecognitionsQuery extends PageQuery(Object.keys(RECOGNITION_SORTS) as RecognitionSort[], ...RECOGNITION_DEFAULT_SORT) {}
