import { runService } from '@dotpha/service-runtime';
import { EvaluationModule } from './evaluation.module';

void runService('Đột Phá — evaluation', (config, hub) => EvaluationModule.register(config, hub));
