// `npm start`: the five services in one process, on the embedded store and the in-process bus
// unless DOTPHA_MONGO_URL / DOTPHA_KAFKA_BROKERS say otherwise; the sample province by default.
import { runService } from '@dotpha/service-runtime';
import { allServices } from './services';

void runService('Đột Phá', ...Object.values(allServices));
