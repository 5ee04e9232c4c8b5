import { startDistributed } from './platform';
import { describeSecurity } from './security';

describeSecurity(`five processes (${process.env.DOTPHA_KAFKA_KIND}; ${process.env.DOTPHA_MONGO_KIND})`, () => startDistributed());
