import { runService } from '@dotpha/service-runtime';
import { MonitoringModule } from './monitoring.module';

void runService('Đột Phá — monitoring', (config, hub) => MonitoringModule.register(config, hub));
