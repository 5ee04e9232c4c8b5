import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';

/** The org data's id syntax (libs/org/src/org-data.ts): anything else cannot name a unit. */
const UNIT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

@Injectable()
export class UnitIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UNIT_ID.test(value)) throw new BadRequestException('unitId is not a unit id');
    return value;
  }
}

@Injectable()
export class YearPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^\d{4}$/.test(value)) throw new BadRequestException('year must be a four-digit year');
    return Number(value);
  }
}
