import { type DynamicModule, Module } from '@nestjs/common';
import { type RuntimeConfig, type ServiceHub, serviceModule } from '@dotpha/service-runtime';
import { CadresController } from './api/cadres.controller';
import { NoticesController } from './api/notices.controller';
import { RecognitionsController } from './api/recognitions.controller';
import { ReportsController } from './api/reports.controller';
import { Access } from './application/access';
import { CadreRecordsService } from './application/cadre-records.service';
import { NoticesService } from './application/notices.service';
import { RecognitionsService } from './application/recognitions.service';
import { ReportsService } from './application/reports.service';
import { rewardsService } from './infrastructure/wiring';

@Module({})
export class RewardsModule {
  static register(config: RuntimeConfig, hub: ServiceHub): DynamicModule {
    return serviceModule({
      module: RewardsModule,
      spec: rewardsService,
      config,
      hub,
      controllers: [RecognitionsController, CadresController, ReportsController, NoticesController],
      providers: [Access, RecognitionsService, CadreRecordsService, ReportsService, NoticesService],
    });
  }
}
