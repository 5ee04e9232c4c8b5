import { type CommandMetadata, type Decider, type DomainEvent, DomainError, fold } from '@dotpha/kernel';

type ErrorClass = abstract new (...args: any[]) => Error;

/**
 * Given events / when command / then events or error (Emmett's DeciderSpecification):
 * a rule is tested through the decider alone, nothing mocked, no I/O.
 *
 *   const spec = DeciderSpecification.for(proposalDecider);
 *   spec.given([drafted]).when(submit).then([submitted]);
 *   spec.given([drafted]).when(submit).then(([event]) => expect(event.data.round).toBe(1));
 *   spec.given([drafted, submitted]).when(submit).thenNothingHappened();
 *   spec.given([]).when(submit).thenThrows(RuleViolation, { clause: 'HN67-report' });
 */
export const DeciderSpecification = {
  for<S, C, E extends DomainEvent>(decider: Decider<S, C, E>) {
    return {
      given(events: readonly E[]) {
        return {
          when(command: C) {
            const run = () => decider.decide(command, fold(decider, events));
            return {
              /**
               * The decided events equal these exactly (type and data, in order), or pass the
               * assertions of a function given them (Emmett's `then(assert)`).
               */
              then(expected: readonly E[] | ((events: readonly E[]) => void)): void {
                if (typeof expected === 'function') expected(run());
                else expect(run()).toEqual(expected);
              },
              /** The command is accepted and decides nothing: an idempotent repeat, a no-op. */
              thenNothingHappened(): void {
                expect(run()).toEqual([]);
              },
              /** The decided events, for assertions `then` cannot express. */
              events(): readonly E[] {
                return run();
              },
              /** The command is refused with this error type, whose details contain `details`. */
              thenThrows(type: ErrorClass, details: Record<string, unknown> = {}): DomainError | Error {
                let thrown: unknown;
                try {
                  run();
                } catch (error) {
                  thrown = error;
                }
                expect(thrown).toBeInstanceOf(type);
                if (thrown instanceof DomainError) expect(thrown.details).toMatchObject(details);
                return thrown as Error;
              },
            };
          },
        };
      },
    };
  },
};

/** Command metadata for specs: a fixed clock and actor unless overridden. */
export function meta(overrides: Partial<CommandMetadata> & { role?: string; userId?: string; at?: string } = {}): CommandMetadata {
  const { role = 'proposer', userId = 'u-proposer', at = '2026-03-02T08:00:00.000Z', ...rest } = overrides;
  return { actor: { userId, role }, now: new Date(at), correlationId: 'corr-spec', causationId: null, ...rest };
}
