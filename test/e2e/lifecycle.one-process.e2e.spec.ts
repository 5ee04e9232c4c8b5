import { describeLifecycle } from './lifecycle';
import { startOneProcess } from './platform';

describeLifecycle('one process (embedded store, in-process bus)', startOneProcess);
