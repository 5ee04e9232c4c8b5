import { describeEventBusContract } from '@dotpha/testkit';
import { InProcessBroker, InProcessEventBus } from './in-process-event-bus';

describeEventBusContract('in-process', async () => {
  const broker = new InProcessBroker();
  return {
    create: async (instance: string) => new InProcessEventBus({ instance, contextOf: (e) => e.streamType, broker, retryDelayMs: 5 }),
    dispose: async () => undefined,
  };
});
