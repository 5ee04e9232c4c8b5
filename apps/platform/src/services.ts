/* eslint-disable @nx/enforce-module-boundaries --
 * The one-process host is the only place that composes the service apps: it hosts their modules
 * side by side, each still on its own store; no service imports another. */
import type { RegisterService } from '@dotpha/service-runtime';
import { ApprovalsModule } from '../../approvals/src/approvals.module';
import { EvaluationModule } from '../../evaluation/src/evaluation.module';
import { MonitoringModule } from '../../monitoring/src/monitoring.module';
import { ProposalsModule } from '../../proposals/src/proposals.module';
import { RewardsModule } from '../../rewards/src/rewards.module';

/** The five services, in the order a proposal meets them. */
export const allServices: Readonly<Record<string, RegisterService>> = {
  proposals: (config, hub) => ProposalsModule.register(config, hub),
  approvals: (config, hub) => ApprovalsModule.register(config, hub),
  monitoring: (config, hub) => MonitoringModule.register(config, hub),
  evaluation: (config, hub) => EvaluationModule.register(config, hub),
  rewards: (config, hub) => RewardsModule.register(config, hub),
};
