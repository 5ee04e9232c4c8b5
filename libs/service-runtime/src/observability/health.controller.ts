import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheckService, type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Response } from 'express';
import { ServiceHub } from '../hub';
import type { ServiceKernel } from '../service-kernel';

/** Longest a readiness check waits for the store or the bus to answer. */
export const READY_CHECK_TIMEOUT_MS = 2000;

/** Whether this process is stopping (the graceful stop's flag): not ready from then on. */
export const STOPPING = Symbol('STOPPING');

/**
 * The probes of a service process (issue 17), outside /api/v1 and without a token:
 * `/health/live` answers while the process runs; `/health/ready` only when every hosted service's
 * store answers, its bus is connected and its consumer groups have joined, and not once a
 * graceful stop began.
 */
@ApiExcludeController()
@SkipThrottle({ commands: true, reads: true, audit: true })
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(ServiceHub) private readonly hub: ServiceHub,
    @Inject(STOPPING) private readonly stopping: () => boolean,
  ) {}

  @Get('live')
  live(@Res() response: Response): void {
    response.json({ status: 'ok' });
  }

  @Get('ready')
  async ready(@Res() response: Response): Promise<void> {
    const checks = [
      async () => (this.stopping() ? this.indicators.check('process').down({ message: 'shutting down' }) : this.indicators.check('process').up()),
      ...this.hub.kernels.flatMap((kernel) => [() => this.store(kernel), () => this.bus(kernel), () => this.consumers(kernel)]),
    ];
    try {
      response.json(await this.health.check(checks));
    } catch (error) {
      response.status(503).json((error as { getResponse?: () => unknown }).getResponse?.() ?? { status: 'error' });
    }
  }

  private async store(kernel: ServiceKernel): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(`${kernel.spec.name}-store`);
    try {
      await withTimeout(kernel.store.streamVersion('health-probe'), 'the store');
      return check.up();
    } catch (error) {
      return check.down({ message: messageOf(error) });
    }
  }

  private async bus(kernel: ServiceKernel): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(`${kernel.spec.name}-bus`);
    const ping = (kernel.bus as { ping?: () => Promise<void> }).ping;
    try {
      if (ping) await withTimeout(ping.call(kernel.bus), 'the bus');
      return check.up();
    } catch (error) {
      return check.down({ message: messageOf(error) });
    }
  }

  private async consumers(kernel: ServiceKernel): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(`${kernel.spec.name}-consumers`);
    const consumption = this.hub.consumption().find((c) => c.service === kernel.spec.name);
    const statuses = await withTimeout(kernel.consumers(), 'the consumers').catch(() => null);
    const groups = (statuses ?? []).map((s) => ({ group: s.group, state: s.state }));
    const joined = statuses !== null && consumption?.state === 'consuming' && groups.every((g) => g.state === 'running' || g.state === 'rebalancing');
    return joined ? check.up({ groups }) : check.down({ consumption: consumption?.state ?? 'starting', groups });
  }
}

async function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${READY_CHECK_TIMEOUT_MS} ms`)), READY_CHECK_TIMEOUT_MS)))]);
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
