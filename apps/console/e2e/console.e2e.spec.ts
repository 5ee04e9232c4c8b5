// The console's walks on the one-process host (`npm start`), started as a child on a free port.
import { startHost } from './host';
import { describeConsole } from './walk';

describeConsole('one-process', startHost);
