import { Body, Controller, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { auditCheckpointStream } from '@dotpha/contracts';
import { DomainError, Forbidden, NotFound, type RecordedEvent } from '@dotpha/kernel';
import { type Caller, CallerGuard, CurrentCaller } from './actor';
import type { LocalIssuer } from './auth';
import { type Disclosure, type ReadAccess, disclose } from './disclosure';
import { ServiceHub } from './hub';
import type { ServiceKernel } from './service-kernel';

/** A stream the caller may read that no checkpoint covers yet (404, saying what to do). */
class NotCheckpointed extends DomainError {
  readonly code = 'NOT_FOUND';
}

/**
 * The audit trail (issue 4): a stream's full ordered history with its actors and the result of
 * the hash-chain verification. Served by whichever service of this process owns the stream.
 * Signed checkpoints (issue 12): a Merkle root over every stream head of each store, signed with
 * the instance's Ed25519 key, kept in the store and published on the public audit topic; a
 * stream's proof of inclusion, which anyone holding the checkpoint and the public key checks
 * without the database; and the audit of a whole store against its latest checkpoint.
 */
@ApiTags('audit')
@UseGuards(CallerGuard)
@Controller('audit')
export class AuditController {
  constructor(@Inject(ServiceHub) private readonly hub: ServiceHub) {}

  @Get('streams/:id')
  @ApiOperation({ summary: "A stream's full ordered history with its actors and the recomputed hash chain (404 outside the caller's reach, as for an unknown id)" })
  async stream(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    const { kernel, events, disclosure } = await this.visibleStream(caller, id);
    const verification = await kernel.store.verify(id);
    return {
      streamId: id,
      service: kernel.spec.name,
      verification,
      events: disclose(kernel.contract, events, disclosure),
    };
  }

  @Get('streams/:id/proof')
  @ApiOperation({
    summary: "The proof that the stream's head is in the latest signed checkpoint of its service: {checkpoint, head, index, path}",
    description: 'Check it without the database: the checkpoint signature with the key of GET /audit/keys named by checkpoint.keyId, then the RFC 6962 audit path from the head to checkpoint.root. 404 outside the caller\'s reach (as for an unknown id), and when no checkpoint covers the stream yet.',
  })
  async proof(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    const { kernel } = await this.visibleStream(caller, id);
    const proof = await kernel.inclusionProof(id);
    if (!proof) throw new NotCheckpointed(`stream '${id}' is not in the latest checkpoint of service '${kernel.spec.name}': a checkpoint must be issued first (POST /api/v1/audit/checkpoints, or wait for the scheduled one)`);
    return proof;
  }

  /** Issues a checkpoint now for each service of this process. */
  @Post('checkpoints')
  @ApiOperation({ summary: 'Issue a signed checkpoint now for each service of this process (admin); answers the checkpoints' })
  async issue(@CurrentCaller() caller: Caller) {
    if (caller.role !== 'admin') throw new Forbidden('only an admin issues checkpoints');
    const actor = { userId: caller.user.id, role: caller.role };
    return Promise.all(this.hub.kernels.map((kernel) => kernel.issueCheckpoint(actor)));
  }

  @Get('checkpoints/latest')
  @ApiOperation({ summary: 'The latest signed checkpoint of each service of this process (without the heads it covers; null before the first)' })
  async latest() {
    return Promise.all(this.hub.kernels.map(async (kernel) => ({ service: kernel.spec.name, checkpoint: await kernel.latestCheckpoint() })));
  }

  /**
   * Verifies every stream of every service in this process, in one pass over each store, against
   * its latest checkpoint, and reports each break and each stream missing, shortened, altered or
   * reordered since the checkpoint was signed.
   */
  @Post('verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Verify every stream of each service of this process against its latest checkpoint (admin): {service, streams, ok, broken, checkpoint, findings, damage}' })
  async verifyAll(@CurrentCaller() caller: Caller) {
    if (caller.role !== 'admin') throw new Forbidden('only an admin verifies the whole store');
    return Promise.all(
      this.hub.kernels.map(async (kernel) => {
        const { ok, streams, broken, checkpoint, findings, damage, note } = await kernel.audit();
        return { service: kernel.spec.name, streams, ok, broken, checkpoint, findings, damage, ...(note ? { note } : {}) };
      }),
    );
  }

  /**
   * The stream as its owning service's store holds it, if the caller may read it: the owning
   * service decides with the same predicate as its queries (ServiceSpec.readAccess), and says
   * whether its restricted text is shown in clear (disclosure.ts). A service's checkpoint stream is
   * public. Refused exactly like an unknown id otherwise.
   */
  private async visibleStream(caller: Caller, id: string): Promise<{ kernel: ServiceKernel; events: readonly RecordedEvent[]; disclosure: Disclosure }> {
    if (typeof id !== 'string' || id.length > 200) throw new NotFound('stream', String(id));
    for (const kernel of this.hub.kernels) {
      if ((await kernel.store.streamVersion(id)) === 0) continue;
      const access: ReadAccess = id === auditCheckpointStream(kernel.spec.name) ? 'full' : ((await kernel.spec.readAccess?.(caller, id, kernel)) ?? 'none');
      if (access === 'none') throw new NotFound('stream', id);
      return { kernel, events: await kernel.history(id), disclosure: access };
    }
    throw new NotFound('stream', id);
  }
}

/**
 * The instance's audit public keys (issue 12), served without a token like an identity
 * provider's JWKS: whoever holds a published checkpoint checks its signature with the key its
 * keyId names.
 */
@ApiTags('audit')
@Controller('audit')
export class AuditKeysController {
  constructor(@Inject(ServiceHub) private readonly hub: ServiceHub) {}

  @Get('keys')
  @ApiOperation({ summary: 'The public keys the checkpoints of this process are signed with, as a JWKS (OKP/Ed25519, kid = checkpoint.keyId)', security: [] })
  keys() {
    const keys = new Map<string, object>();
    for (const kernel of this.hub.kernels) {
      if (!keys.has(kernel.auditKeyId)) keys.set(kernel.auditKeyId, { ...(kernel.auditPublicKey.export({ format: 'jwk' }) as object), kid: kernel.auditKeyId, alg: 'EdDSA', use: 'sig' });
    }
    return { keys: [...keys.values()] };
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
    const consumption = this.hub.consumption();
    return Promise.all(
      this.hub.kernels.map(async (kernel) => ({
        service: kernel.spec.name,
        instance: kernel.config.instance,
        // Whether its consumption started (issue 16): starting, consuming, retrying, stopped.
        consumption: consumption.find((c) => c.service === kernel.spec.name) ?? null,
        // Each consumer group: running, rebalancing, crashed…, its restarts, last error and lag.
        consumers: await kernel.consumers(),
        refusedForeignEvents: kernel.refusedForeignEvents,
        deadLetters: (await kernel.deadLetters()).map(({ group, letters }) => ({ group, count: letters.length })),
      })),
    );
  }
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
