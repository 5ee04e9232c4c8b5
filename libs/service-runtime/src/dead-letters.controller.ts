import { Controller, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type DeadLetterAction, OPERATIONS_STREAM_TYPE, operationsStream } from '@dotpha/contracts';
import { type CommandMetadata, type DeadLetter, type Decider, type DomainEvent, Forbidden, NotFound, deadLetterId } from '@dotpha/kernel';
import { type Caller, CallerGuard, CurrentCaller, commandMetadata } from './actor';
import { ServiceHub } from './hub';
import type { ServiceKernel } from './service-kernel';

type OperationEvent = DomainEvent<'DeadLetterInspected' | 'DeadLetterRedriven', Record<string, unknown>>;
interface RecordOperation {
  readonly type: 'RecordOperation';
  readonly data: { readonly event: OperationEvent };
  readonly metadata: CommandMetadata;
}

/** An operator's action is a fact of its own: the operations stream records each one as it is. */
const operations: Decider<null, RecordOperation, OperationEvent> = { initialState: () => null, evolve: (state) => state, decide: (command) => [command.data.event] };

const summary = (service: string, letter: DeadLetter) => ({
  id: deadLetterId(letter),
  service,
  group: letter.projection,
  eventId: letter.event.eventId,
  eventType: letter.event.type,
  streamId: letter.event.streamId,
  streamPosition: letter.event.streamPosition,
  error: letter.error,
  attempts: letter.attempts,
  parkedAt: letter.parkedAt,
});

/**
 * Dead letters for the instance's operators (issue 12): kept durably in both modes, listed, read
 * (the event with its restricted fields redacted) and re-driven; reading and re-driving are each
 * recorded on the service's `operations-<service>` stream, so the audit trail shows who did what.
 */
@ApiTags('admin')
@UseGuards(CallerGuard)
@Controller('admin/dead-letters')
export class DeadLettersController {
  constructor(@Inject(ServiceHub) private readonly hub: ServiceHub) {}

  @Get()
  @ApiOperation({ summary: 'Every dead letter of the services in this process, oldest first (admin)' })
  async list(@CurrentCaller() caller: Caller) {
    admin(caller);
    const all = await Promise.all(this.hub.kernels.map(async (kernel) => (await kernel.readModels.deadLetters()).map((letter) => summary(kernel.spec.name, letter))));
    return all.flat().sort((a, b) => a.parkedAt.localeCompare(b.parkedAt));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One dead letter with its event, restricted fields redacted; the reading is recorded (admin)' })
  async read(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    admin(caller);
    const { kernel, letter } = await this.find(id);
    const now = kernel.now();
    await record(kernel, caller, now, { type: 'DeadLetterInspected', data: { ...action(letter), inspectedBy: caller.user.id, inspectedAt: now.toISOString() } });
    return { ...summary(kernel.spec.name, letter), event: forOperators(kernel, letter) };
  }

  @Post(':id/redrive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hand the event to its consumer again: applied (the letter goes) or failed (it stays, with the new error); recorded (admin)' })
  async redrive(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    admin(caller);
    const { kernel, letter } = await this.find(id);
    let error: string | null = null;
    try {
      await kernel.redeliver(letter);
      await kernel.readModels.removeDeadLetter(deadLetterId(letter));
    } catch (failure) {
      error = (failure as Error)?.message ?? String(failure);
      await kernel.readModels.park({ ...letter, error, attempts: letter.attempts + 1, parkedAt: kernel.now().toISOString() });
    }
    const outcome = error === null ? ('applied' as const) : ('failed' as const);
    const now = kernel.now();
    await record(kernel, caller, now, { type: 'DeadLetterRedriven', data: { ...action(letter), outcome, error, redrivenBy: caller.user.id, redrivenAt: now.toISOString() } });
    return { id: deadLetterId(letter), service: kernel.spec.name, outcome, error };
  }

  private async find(id: string): Promise<{ kernel: ServiceKernel; letter: DeadLetter }> {
    if (typeof id !== 'string' || id.length > 400) throw new NotFound('dead letter', String(id));
    for (const kernel of this.hub.kernels) {
      const letter = await kernel.readModels.deadLetter(id);
      if (letter) return { kernel, letter };
    }
    throw new NotFound('dead letter', id);
  }
}

/**
 * What an operator sees of a parked event: its envelope, and its data without personal data: a
 * restricted event's data withheld whole, another's restricted fields removed.
 */
function forOperators(kernel: ServiceKernel, letter: DeadLetter) {
  const event = kernel.contract.upcast(letter.event);
  const restricted = event.classification === 'restricted' || kernel.contract.definition(event.type).classification === 'restricted';
  if (!restricted) return kernel.contract.redact(event);
  return { ...event, data: {}, redacted: Object.keys((event.data as object | null) ?? {}) };
}

function admin(caller: Caller): void {
  if (caller.role !== 'admin') throw new Forbidden('only an admin handles dead letters');
}

const action = (letter: DeadLetter): DeadLetterAction => ({
  letterId: deadLetterId(letter),
  group: letter.projection,
  eventId: letter.event.eventId,
  eventType: letter.event.type,
  streamId: letter.event.streamId,
});

async function record(kernel: ServiceKernel, caller: Caller, now: Date, event: OperationEvent): Promise<void> {
  await kernel.execute(operations, OPERATIONS_STREAM_TYPE, operationsStream(kernel.spec.name), {
    type: 'RecordOperation',
    data: { event },
    metadata: commandMetadata(caller, now),
  });
}
