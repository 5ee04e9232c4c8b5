export * from './events';
export * from './commands';
export { type Consultation, type ReviewRound, type ReviewState, collectiveDecides, initialReviewState } from './review.state';
export { reviewDecider } from './review.decider';
export { REVIEW_STREAM_TYPE, reviewStreamId } from './streams';
export { tallyOf } from './collective-vote';
export { PLAN_WINDOW } from './plan';
export { type OverdueReview, type OverdueStep, isOverdue, overdueReviews } from './deadlines';
export { type Role, commandRoles } from './roles';
