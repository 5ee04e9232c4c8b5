export * from './config';
export * from './service-kernel';
export * from './hub';
export * from './http';
export * from './actor';
export * from './module';
export * from './bootstrap';
export * from './auth';
