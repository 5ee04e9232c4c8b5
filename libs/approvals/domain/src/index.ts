export * from './events';
export * from './commands';
export { type Consultation, type ReviewRound, type ReviewState, initialReviewState } from './review.state';
export { REVIEW_STREAM_TYPE, reviewDecider, reviewStreamId } from './review.decider';
export { tallyVotes } from './collective-vote';
export { type OverdueReview, isOverdue, overdueReviews } from './deadlines';
export { type Role, commandRoles } from './roles';
