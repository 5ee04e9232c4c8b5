export * from './roles';
export * from './org-data';
export * from './org-chart';
export * from './policy';
export * from './calendar';
export * from './collective-vote';
