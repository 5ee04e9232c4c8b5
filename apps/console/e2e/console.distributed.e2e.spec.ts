// The walk from draft to recognition on the distributed mode (`npm run start:distributed`): the five
// services as processes on the test Kafka and MongoDB, the browser opening only the console's gateway.
import { startDistributedHost } from './host';
import { describeConsole } from './walk';

describeConsole('distributed', startDistributedHost);
