import { type DynamicModule, Module } from '@nestjs/common';
import { type RuntimeConfig, type ServiceHub, serviceModule } from '@dotpha/service-runtime';
import { ReviewsController } from './api/reviews.controller';
import { ReviewsService } from './application/reviews.service';
import { approvalsService } from './infrastructure/wiring';

@Module({})
export class ApprovalsModule {
  static register(config: RuntimeConfig, hub: ServiceHub): DynamicModule {
    return serviceModule({ module: ApprovalsModule, spec: approvalsService, config, hub, controllers: [ReviewsController], providers: [ReviewsService] });
  }
}
