import { runService } from '@dotpha/service-runtime';
import { RewardsModule } from './rewards.module';

void runService('Đột Phá — rewards', (config, hub) => RewardsModule.register(config, hub));
