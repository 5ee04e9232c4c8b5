import { type Decider, type DomainEvent, InvalidInput } from '@dotpha/kernel';
import { DeciderSpecification, meta } from './decider-spec';

type Counted = DomainEvent<'Counted', { readonly by: number }>;
type Count = { readonly type: 'Count'; readonly data: { readonly by: number }; readonly metadata: ReturnType<typeof meta> };

/** Counts up to 3; counting by 0 decides nothing, a negative step is refused. */
const counter: Decider<number, Count, Counted> = {
  initialState: () => 0,
  evolve: (total, event) => total + event.data.by,
  decide: ({ data: { by } }, total) => {
    if (by < 0) throw new InvalidInput('a count only goes up', { by });
    if (by === 0 || total >= 3) return [];
    return [{ type: 'Counted', data: { by } }];
  },
};
const count = (by: number): Count => ({ type: 'Count', data: { by }, metadata: meta() });
const spec = DeciderSpecification.for(counter);

describe('DeciderSpecification', () => {
  it('then: the decided events, exactly', () => {
    spec.given([]).when(count(2)).then([{ type: 'Counted', data: { by: 2 } }]);
  });

  it('then: an assertion over the decided events', () => {
    spec.given([{ type: 'Counted', data: { by: 1 } }]).when(count(2)).then((events) => {
      expect(events).toHaveLength(1);
      expect(events[0].data.by).toBe(2);
    });
  });

  it('thenNothingHappened: accepted, nothing decided', () => {
    spec.given([{ type: 'Counted', data: { by: 3 } }]).when(count(1)).thenNothingHappened();
    spec.given([]).when(count(0)).thenNothingHappened();
    expect(() => spec.given([]).when(count(1)).thenNothingHappened()).toThrow();
  });

  it('thenThrows: the error type and its details', () => {
    spec.given([]).when(count(-1)).thenThrows(InvalidInput, { by: -1 });
    expect(() => spec.given([]).when(count(1)).thenThrows(InvalidInput)).toThrow();
  });
});
