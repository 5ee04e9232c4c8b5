import { startOneProcess } from './platform';
import { describeSecurity } from './security';

describeSecurity('one process (embedded store, in-process bus)', () => startOneProcess());
