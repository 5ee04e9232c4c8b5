import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength, ValidateNested,
} from 'class-validator';
import { PROBLEM_TYPES, PROPOSAL_FIELDS } from '@dotpha/proposals-domain';

export class AttachmentDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(500) name!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(2000) uri!: string;
}

/** The proposal's content as the proposer's form holds it; the report may be partial until submission. */
export class ProposalContentDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(500) title!: string;
  @ApiProperty({ enum: PROPOSAL_FIELDS }) @IsIn(PROPOSAL_FIELDS) field!: (typeof PROPOSAL_FIELDS)[number];
  @ApiProperty({ enum: PROBLEM_TYPES }) @IsIn(PROBLEM_TYPES) problemType!: (typeof PROBLEM_TYPES)[number];
  @ApiProperty() @IsBoolean() isScheme!: boolean;
  @ApiProperty({ description: 'Report sections (DOMAIN.md §4.2); checked against the event schema' }) @IsObject() report!: Record<string, unknown>;
  @ApiPropertyOptional({ type: [AttachmentDto] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => AttachmentDto) attachments?: AttachmentDto[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) scopeUnitIds?: string[];
}

export class WithdrawDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) reason?: string;
}
