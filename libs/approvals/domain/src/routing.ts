import { InvalidInput, RuleViolation } from '@dotpha/kernel';
import { REVIEW_ROUTES, type Routing } from './events';
import * as input from './input';

/** Copies the routing field by field and checks who may review whom. */
export function checkRouting(given: Routing, proposerId: string, now: Date): Routing {
  const routing: Routing = {
    reviewerUnitId: input.text(given.reviewerUnitId, 'reviewerUnitId'),
    route: input.oneOf(given.route, REVIEW_ROUTES, 'route'),
    reviewerIds: input.ids(given.reviewerIds, 'reviewerIds'),
    collectiveMemberIds: input.ids(given.collectiveMemberIds, 'collectiveMemberIds'),
    headId: input.text(given.headId, 'headId'),
    authorityCoversScope: input.flag(given.authorityCoversScope, 'authorityCoversScope'),
    dueBy: input.instant(given.dueBy, 'dueBy'),
  };
  if (routing.reviewerIds.length === 0) {
    throw new InvalidInput('a review needs at least one reviewer', { field: 'reviewerIds' });
  }
  if (routing.route === 'collective' && routing.collectiveMemberIds.length === 0) {
    throw new InvalidInput('the collective route needs the members of the collective', { field: 'collectiveMemberIds' });
  }
  if (Date.parse(routing.dueBy) <= now.getTime()) throw new InvalidInput('dueBy must lie in the future', { field: 'dueBy' });
  if (routing.reviewerIds.includes(proposerId)) {
    // A head's own proposal goes to the collective or to the superior head instead.
    throw new RuleViolation('C14-2.3b', 'a proposer does not review their own proposal');
  }
  if (routing.collectiveMemberIds.includes(proposerId)) {
    throw new RuleViolation('D73-8.1a', 'the collective that votes excludes the proposer');
  }
  return routing;
}

/** Only the routing fields of an event that carries more. */
export const routingOf = (data: Routing): Routing => ({
  reviewerUnitId: data.reviewerUnitId,
  route: data.route,
  reviewerIds: data.reviewerIds,
  collectiveMemberIds: data.collectiveMemberIds,
  headId: data.headId,
  authorityCoversScope: data.authorityCoversScope,
  dueBy: data.dueBy,
});

