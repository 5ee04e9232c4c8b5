import { type DynamicModule, Module } from '@nestjs/common';
import { type RuntimeConfig, type ServiceHub, serviceModule } from '@dotpha/service-runtime';
import { PilotsController } from './api/pilots.controller';
import { PilotsService } from './application/pilots.service';
import { monitoringService } from './infrastructure/wiring';

@Module({})
export class MonitoringModule {
  static register(config: RuntimeConfig, hub: ServiceHub): DynamicModule {
    return serviceModule({ module: MonitoringModule, spec: monitoringService, config, hub, controllers: [PilotsController], providers: [PilotsService] });
  }
}
