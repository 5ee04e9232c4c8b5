export * from './one-process';
