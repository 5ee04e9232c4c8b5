import { type DynamicModule, type OnApplicationShutdown, Inject, Injectable, type Provider, type Type } from '@nestjs/common';
import { OrgChart } from '@dotpha/org';
import { TokenVerifier } from './auth';
import type { RuntimeConfig } from './config';
import type { ServiceHub } from './hub';
import { ServiceKernel, type ServiceSpec } from './service-kernel';

export const RUNTIME_CONFIG = Symbol('RUNTIME_CONFIG');

/**
 * The providers every service module has: its kernel (opened on its own database), the org
 * chart and the runtime config. The kernel joins the process's hub, which starts consumption.
 */
export function serviceModule(options: {
  readonly module: Type<unknown>;
  readonly spec: ServiceSpec;
  readonly config: RuntimeConfig;
  readonly hub: ServiceHub;
  readonly controllers: Type<unknown>[];
  readonly providers?: Provider[];
}): DynamicModule {
  return {
    module: options.module,
    controllers: options.controllers,
    providers: [
      {
        provide: ServiceKernel,
        useFactory: async () => {
          const kernel = await ServiceKernel.open(options.spec, options.config);
          options.hub.add(kernel);
          return kernel;
        },
      },
      { provide: OrgChart, useValue: options.config.org },
      { provide: TokenVerifier, useValue: options.hub.tokens },
      { provide: RUNTIME_CONFIG, useValue: options.config },
      KernelCloser,
      ...(options.providers ?? []),
    ],
  };
}

@Injectable()
class KernelCloser implements OnApplicationShutdown {
  constructor(@Inject(ServiceKernel) private readonly kernel: ServiceKernel) {}
  async onApplicationShutdown(): Promise<void> {
    await this.kernel.close();
  }
}
