import { runService } from '@dotpha/service-runtime';
import { ProposalsModule } from './proposals.module';

void runService('Đột Phá — proposals', (config, hub) => ProposalsModule.register(config, hub));
