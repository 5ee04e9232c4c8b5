import { type DynamicModule, Module } from '@nestjs/common';
import { type RuntimeConfig, type ServiceHub, serviceModule } from '@dotpha/service-runtime';
import { EvaluationsController } from './api/evaluations.controller';
import { EvaluationsService } from './application/evaluations.service';
import { InspectionCasesController } from './api/inspection-cases.controller';
import { InspectionCasesService } from './application/inspection-cases.service';
import { evaluationService } from './infrastructure/wiring';

@Module({})
export class EvaluationModule {
  static register(config: RuntimeConfig, hub: ServiceHub): DynamicModule {
    return serviceModule({ module: EvaluationModule, spec: evaluationService, config, hub, controllers: [EvaluationsController, InspectionCasesController], providers: [EvaluationsService, InspectionCasesService] });
  }
}
