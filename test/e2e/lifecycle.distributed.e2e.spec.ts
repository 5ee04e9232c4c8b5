import { describeLifecycle } from './lifecycle';
import { startDistributed } from './platform';

describeLifecycle(`five processes (${process.env.DOTPHA_KAFKA_KIND}; ${process.env.DOTPHA_MONGO_KIND})`, startDistributed);
