import { Body, Controller, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Forbidden, NotFound, type RecordedEvent } from '@dotpha/kernel';
import { type Caller, CallerGuard, CurrentCaller } from './actor';
import type { LocalIssuer } from './auth';
import { ServiceHub } from './hub';

const FULL_RECORD_ROLES = ['inspector', 'organization-office'];
const AUDIT_ROLES = ['admin', 'inspector', 'organization-office', 'unit-head', 'collective', 'authority', 'evaluator', 'supervisor', 'proposer'];

/**
 * The audit trail (issue 4): a stream's full ordered history with its actors and the result of
 * the hash-chain verification. Served by whichever service of this process owns the stream.
 */
@ApiTags('audit')
@UseGuards(CallerGuard)
@Controller('audit')
export class AuditController {
  constructor(@Inject(ServiceHub) private readonly hub: ServiceHub) {}

  @Get('streams/:id')
  async stream(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    if (typeof id !== 'string' || id.length > 200) throw new NotFound('stream', String(id));
    for (const kernel of this.hub.kernels) {
      if ((await kernel.store.streamVersion(id)) === 0) continue;
      const [events, verification] = await Promise.all([kernel.history(id), kernel.store.verify(id)]);
      const subject = subjectOf(events);
      const own = subject.proposerId === caller.user.id;
      const inReach = subject.unitId !== undefined && kernel.config.org.inJurisdiction(caller.user.id, subject.unitId);
      const everywhere = ['admin', ...FULL_RECORD_ROLES].includes(caller.role);
      if (!AUDIT_ROLES.includes(caller.role) || !(own || inReach || everywhere)) throw new NotFound('stream', id);
      const clear = own || FULL_RECORD_ROLES.includes(caller.role);
      return {
        streamId: id,
        service: kernel.spec.name,
        verification,
        events: events.map((e) => (clear ? e : kernel.contract.redact(e))),
      };
    }
    throw new NotFound('stream', id);
  }

  /** Verifies every stream of every service in this process and reports each break. */
  @Post('verify')
  @HttpCode(200)
  async verifyAll(@CurrentCaller() caller: Caller) {
    if (caller.role !== 'admin') throw new Forbidden('only an admin verifies the whole store');
    return Promise.all(
      this.hub.kernels.map(async (kernel) => {
        let checked = 0;
        const broken: { streamId: string; breaks: unknown[] }[] = [];
        for (let after = ''; ; ) {
          const streams = await kernel.store.listStreams(after, 500);
          if (streams.length === 0) break;
          for (const streamId of streams) {
            const report = await kernel.store.verify(streamId);
            checked++;
            if (!report.ok) broken.push({ streamId, breaks: [...report.breaks] });
          }
          after = streams[streams.length - 1];
        }
        return { service: kernel.spec.name, streams: checked, ok: broken.length === 0, broken };
      }),
    );
  }
}

/** Operators' view of the services in this process (admin only). */
@ApiTags('admin')
@UseGuards(CallerGuard)
@Controller('admin')
export class AdminController {
  constructor(@Inject(ServiceHub) private readonly hub: ServiceHub) {}

  @Get('status')
  async status(@CurrentCaller() caller: Caller) {
    if (caller.role !== 'admin') throw new Forbidden('only an admin reads the operators\' status');
    return Promise.all(
      this.hub.kernels.map(async (kernel) => ({
        service: kernel.spec.name,
        instance: kernel.config.instance,
        refusedForeignEvents: kernel.refusedForeignEvents,
        deadLetters: (await kernel.deadLetters()).map(({ group, letters }) => ({ group, count: letters.length })),
      })),
    );
  }
}

function subjectOf(events: readonly RecordedEvent[]): { proposerId?: string; unitId?: string } {
  for (const event of events) {
    const data = event.data as Record<string, unknown>;
    const proposerId = typeof data.proposerId === 'string' ? data.proposerId : typeof data.userId === 'string' ? data.userId : undefined;
    const unitId = typeof data.proposerUnitId === 'string' ? data.proposerUnitId : typeof data.unitId === 'string' ? data.unitId : undefined;
    if (proposerId || unitId) return { proposerId, unitId };
  }
  return {};
}

export class TokenRequestDto {
  @ApiProperty({ description: 'A user of the organisation file', example: 'u-ccvc-chuyen-vien', maxLength: 200, pattern: '^[A-Za-z0-9._-]+$' })
  @IsString() @MaxLength(200) @Matches(/^[A-Za-z0-9._-]+$/) userId!: string;
  @ApiPropertyOptional({ description: 'The role the token names (x-role overrides it per request)', example: 'proposer', maxLength: 50 })
  @IsOptional() @IsString() @MaxLength(50) role?: string;
}

/**
 * The local issuer of the one-process mode: signs tokens for users of the organisation file, so
 * `npm start` works with no identity provider. Never mounted when an OIDC provider is configured.
 */
export function localIssuerController(issuer: LocalIssuer) {
  @ApiTags('auth (local issuer, development only)')
  @Controller('auth')
  class LocalIssuerController {
    constructor(@Inject(ServiceHub) private readonly hub: ServiceHub) {}

    @Post('token')
    @HttpCode(200)
    @ApiOperation({ summary: 'Sign a token for a user of the organisation file (development only)', security: [] })
    async token(@Body() body: TokenRequestDto) {
      const known = this.hub.kernels[0]?.config.org.users.some((u) => u.id === body.userId);
      if (!known) throw new NotFound('user', body.userId);
      return { access_token: await issuer.token(body.userId, { role: body.role }), token_type: 'Bearer', expires_in: 3600 };
    }

    @Get('jwks')
    @ApiOperation({ summary: "The local issuer's public keys", security: [] })
    jwks() {
      return issuer.jwks();
    }
  }
  return LocalIssuerController;
}
