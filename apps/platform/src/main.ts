// `npm start`: the five services in one process, on the embedded store and the in-process bus
// unless DOTPHA_MONGO_URL / DOTPHA_KAFKA_BROKERS say otherwise; the sample province by default;
// the web console (apps/console, built by `npm start` first) at `/`.
import { runService } from '@dotpha/service-runtime';
import { registerConsole } from './console';
import { allServices } from './services';

void runService('Đột Phá', ...Object.values(allServices), registerConsole);
