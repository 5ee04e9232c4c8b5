import { type Command, type CommandHandlers, deciderOf, fold } from './decider';
import type { CommandMetadata, DomainEvent } from './envelope';

type Add = Command<'Add', { readonly n: number }>;
type Reset = Command<'Reset', Record<string, never>>;
type Added = DomainEvent<'Added', { readonly n: number }>;
type Cleared = DomainEvent<'Cleared', Record<string, never>>;

const metadata: CommandMetadata = { actor: { userId: 'u1', role: 'official' }, now: new Date('2026-01-01T00:00:00Z'), correlationId: 'c1' };

const counter = deciderOf<number, Add | Reset, Added | Cleared>({
  initialState: () => 0,
  evolve: (total, event) => (event.type === 'Added' ? total + event.data.n : 0),
  commands: {
    Add: (command) => [{ type: 'Added', data: { n: command.data.n } }],
    Reset: (_command, total) => (total === 0 ? [] : [{ type: 'Cleared', data: {} }]),
  },
});

describe('deciderOf', () => {
  it('hands each command to the function of its type, with the state', () => {
    expect(counter.decide({ type: 'Add', data: { n: 2 }, metadata }, 0)).toEqual([{ type: 'Added', data: { n: 2 } }]);
    expect(counter.decide({ type: 'Reset', data: {}, metadata }, fold(counter, [{ type: 'Added', data: { n: 2 } }]))).toEqual([
      { type: 'Cleared', data: {} },
    ]);
    expect(counter.decide({ type: 'Reset', data: {}, metadata }, 0)).toEqual([]);
  });

  it('refuses a command of a type it has no function for (one that bypassed the types)', () => {
    const stray = { type: 'Multiply', data: {}, metadata } as unknown as Add;
    expect(() => counter.decide(stray, 0)).toThrow('unhandled command: "Multiply"');
  });

  it('needs a function for every command type', () => {
    // @ts-expect-error Reset has no function
    const missing: CommandHandlers<number, Add | Reset, Added | Cleared> = { Add: () => [] };
    expect(Object.keys(missing)).toEqual(['Add']);
  });
});
