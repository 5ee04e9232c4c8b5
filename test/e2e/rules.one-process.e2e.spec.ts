import { startOneProcess } from './platform';
import { describeRules } from './rules';

describeRules('one process (embedded store, in-process bus)', startOneProcess);
