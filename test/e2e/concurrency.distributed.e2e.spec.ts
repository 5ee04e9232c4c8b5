import { describeConcurrency } from './concurrency';
import { startDistributed } from './platform';

describeConcurrency(`five processes (${process.env.DOTPHA_KAFKA_KIND}; ${process.env.DOTPHA_MONGO_KIND})`, () => startDistributed());
