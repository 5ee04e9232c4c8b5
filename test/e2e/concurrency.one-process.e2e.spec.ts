import { describeConcurrency } from './concurrency';
import { startOneProcess } from './platform';

describeConcurrency('one process (embedded store, in-process bus)', () => startOneProcess());
