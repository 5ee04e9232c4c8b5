import { startDistributed } from './platform';
import { describeRules } from './rules';

describeRules(`five processes (${process.env.DOTPHA_KAFKA_KIND}; ${process.env.DOTPHA_MONGO_KIND})`, startDistributed);
