import { startDistributed } from './platform';
import { describeSecurity } from './security';

// The production budgets for reads and the audit trail, which the suite tests.
describeSecurity(`five processes (${process.env.DOTPHA_KAFKA_KIND}; ${process.env.DOTPHA_MONGO_KIND})`, () => startDistributed({}, { readsPerMinute: 1200, auditPerMinute: 30 }));
