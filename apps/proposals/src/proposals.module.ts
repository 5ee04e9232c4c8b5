import { type DynamicModule, Module } from '@nestjs/common';
import { type RuntimeConfig, type ServiceHub, serviceModule } from '@dotpha/service-runtime';
import { AssignmentsController } from './api/assignments.controller';
import { AssignmentsService } from './application/assignments.service';
import { ProposalsController } from './api/proposals.controller';
import { ProposalsService } from './application/proposals.service';
import { RegistrationsController } from './api/registrations.controller';
import { RegistrationsService } from './application/registrations.service';
import { proposalsService } from './infrastructure/wiring';

@Module({})
export class ProposalsModule {
  static register(config: RuntimeConfig, hub: ServiceHub): DynamicModule {
    return serviceModule({ module: ProposalsModule, spec: proposalsService, config, hub, controllers: [ProposalsController, RegistrationsController, AssignmentsController], providers: [ProposalsService, RegistrationsService, AssignmentsService] });
  }
}
