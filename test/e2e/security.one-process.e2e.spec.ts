import { startOneProcess } from './platform';
import { describeSecurity } from './security';

// The production budgets for reads and the audit trail, which the suite tests.
describeSecurity('one process (embedded store, in-process bus)', () => startOneProcess({}, { readsPerMinute: 1200, auditPerMinute: 30 }));
