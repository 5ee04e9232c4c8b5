import { MEASURES, type ProposalFacts, applyProposalEvent, emptyProposal, isProposalEvent } from './facts';
import { foldWrites, revKey, sheetChanges } from './cube';
import { proposalWalk } from './sample-events';

type Sums = Record<string, number>;

/** The sheets as the fold writes leave them: each change added unless the sheet has that document's rev already. */
function fold(sheets: Map<string, { cells: Map<string, Sums>; revs: Sums }>, id: string, rev: number, before: ProposalFacts | undefined, after: ProposalFacts) {
  for (const { sheet, cells } of sheetChanges(before, after)) {
    const entry = sheets.get(sheet) ?? { cells: new Map<string, Sums>(), revs: {} as Sums };
    sheets.set(sheet, entry);
    if ((entry.revs[revKey(id)] ?? 0) >= rev) continue;
    for (const [cell, inc] of Object.entries(cells)) {
      const sums = entry.cells.get(cell) ?? {};
      for (const [key, n] of Object.entries(inc)) sums[key] = (sums[key] ?? 0) + n;
      entry.cells.set(cell, sums);
    }
    entry.revs[revKey(id)] = rev;
  }
}

describe('the national figures kept summed by instance, month, field and status (sheets of cells)', () => {
  const walks = Array.from({ length: 60 }, (_, i) => proposalWalk(['hn', 'hcm', 'hp'][i % 3], i));

  it('the cells hold exactly the sums of the proposals\' final counts, however the events came in and however often a change is folded', () => {
    const sheets = new Map<string, { cells: Map<string, Sums>; revs: Sums }>();
    const finals: ProposalFacts[] = [];
    for (const walk of walks) {
      // Latest first: the proposal passes through sheets without a month and through many statuses before its submission arrives.
      const events = walk.filter(isProposalEvent).reverse();
      let facts: ProposalFacts | undefined;
      events.forEach((event, n) => {
        const after = applyProposalEvent(facts ?? emptyProposal(event.instance, event.data.proposalId), event);
        fold(sheets, after._id, n + 1, facts, after);
        fold(sheets, after._id, n + 1, facts, after); // the same change again (redelivered, another replica): nothing more
        facts = after;
      });
      finals.push(facts!);
    }
    const cells = [...sheets.values()].flatMap((s) => [...s.cells.entries()]);
    for (const measure of MEASURES) {
      const expected = finals.reduce((sum, f) => sum + f.counts[measure], 0);
      expect({ measure, summed: cells.reduce((sum, [, c]) => sum + (c[measure] ?? 0), 0) }).toEqual({ measure, summed: expected });
    }
    // No proposal left behind where it moved out of: a cell without proposals is all zeros.
    for (const [cell, sums] of cells) {
      if (!sums.proposals) expect({ cell, sums: Object.entries(sums).filter(([, n]) => n !== 0) }).toEqual({ cell, sums: [] });
    }
    expect(cells.reduce((sum, [, c]) => sum + (c.events ?? 0), 0)).toBe(finals.reduce((sum, f) => sum + f.seen.length, 0));
  });

  it('a change of status is one write to the month\'s sheet, guarded by the document\'s rev', () => {
    const [submitted, approved] = walks[0].filter(isProposalEvent);
    const before = applyProposalEvent(emptyProposal('hn', 'p-hn-0'), submitted);
    const after = applyProposalEvent(before, approved);
    const changes = sheetChanges(before, after);
    expect(changes).toHaveLength(1);
    const writes = foldWrites('hn/p-hn-0.v1$', { by: 'x', rev: 2, changes });
    const key = 'revs.hn/p-hn-0%2ev1%24';
    const [{ updateOne }] = writes as { updateOne: { filter: object; update: { $inc: Sums; $set: Sums; $setOnInsert: object }; upsert: boolean } }[];
    expect(updateOne.filter).toEqual({ _id: changes[0].sheet, $or: [{ [key]: { $exists: false } }, { [key]: { $lt: 2 } }] });
    expect(updateOne.update.$set).toEqual({ [key]: 2 });
    expect(updateOne.update.$inc).toMatchObject({ [`c.party-building|submitted.proposals`]: -1, [`c.party-building|${after.status}.proposals`]: 1, [`c.party-building|${after.status}.events`]: 2 });
    expect(updateOne).toMatchObject({ upsert: true, update: { $setOnInsert: { kind: 'proposals', instance: 'hn' } } });
    expect((foldWrites('x', { by: 'x', rev: 2, changes })[0] as typeof writes[0] & { updateOne: { upsert: boolean } }).updateOne.upsert).toBe(true);
  });
});
