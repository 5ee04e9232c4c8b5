import { runService } from '@dotpha/service-runtime';
import { ApprovalsModule } from './approvals.module';

void runService('Đột Phá — approvals', (config, hub) => ApprovalsModule.register(config, hub));
