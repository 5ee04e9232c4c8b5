import { existsSync } from 'fs';
import { join } from 'path';
import { type DynamicModule, Controller, Get, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { RegisterService, RuntimeConfig } from '@dotpha/service-runtime';

/** Where `npm start` finds the built console (apps/console, `npm run console:build`). */
export const CONSOLE_DIR = process.env.DOTPHA_CONSOLE_DIR || join(__dirname, '..', '..', '..', 'dist', 'apps', 'console');

class SignInUnitDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

class SignInUserDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: SignInUnitDto }) unit!: SignInUnitDto;
  @ApiProperty({ type: [String], description: 'The roles the organisation file gives the user (DOMAIN.md §2); the first is the default' }) roles!: string[];
}

class SignInDirectoryDto {
  @ApiProperty({ description: "The instance's code and name" }) instance!: SignInUnitDto;
  @ApiProperty({ type: [SignInUserDto] }) users!: SignInUserDto[];
}

/**
 * The users the local issuer signs tokens for, so the console's development sign-in can offer
 * them (the issuer's own `POST /auth/token` takes any of them). Mounted with the local issuer only.
 */
function localDirectoryController(org: RuntimeConfig['org']) {
  @ApiTags('auth (local issuer, development only)')
  @Controller('auth')
  class LocalDirectoryController {
    @Get('users')
    @ApiOperation({ summary: 'The users of the organisation file the local issuer signs for (development only)', security: [] })
    @ApiOkResponse({ type: SignInDirectoryDto })
    users(): SignInDirectoryDto {
      return {
        instance: { id: org.instance.code, name: org.instance.name },
        users: org.users.map((u) => ({ id: u.id, name: u.name, title: u.title ?? '', unit: { id: u.unitId, name: org.unit(u.unitId).name }, roles: [...u.roles] })),
      };
    }
  }
  return LocalDirectoryController;
}

/**
 * Serves the built single-page console at `/` beside the API: its hashed assets with a long cache
 * life, any other GET outside /api answered with index.html. Added after the API's routes (an
 * init hook runs after Nest registers them and before its not-found handler), so /api is never
 * shadowed.
 */
class ConsoleStatic implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapter: HttpAdapterHost, private readonly log: (m: string) => void) {}

  onModuleInit(): void {
    const index = join(CONSOLE_DIR, 'index.html');
    if (!existsSync(index)) {
      this.log(`console: ${index} not built (npm run console:build); serving the API only`);
      return;
    }
    const app = this.adapter.httpAdapter.getInstance<express.Express>();
    app.use(
      express.static(CONSOLE_DIR, {
        index: 'index.html',
        setHeaders: (response, path) => {
          if (path.includes(`${join(CONSOLE_DIR, 'assets')}`)) response.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        },
      }),
    );
    app.use((request: Request, response: Response, next: NextFunction) => {
      if ((request.method !== 'GET' && request.method !== 'HEAD') || request.path.startsWith('/api/') || !request.accepts('html')) return next();
      response.sendFile(index);
    });
  }
}

/** The console as one more part of the one-process host (and its sign-in list with the local issuer). */
export const registerConsole: RegisterService = (config): DynamicModule => {
  const log = config.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  @Module({})
  class ConsoleModule {}
  return {
    module: ConsoleModule,
    controllers: config.auth.kind === 'local' ? [localDirectoryController(config.org)] : [],
    providers: [{ provide: ConsoleStatic, useFactory: (adapter: HttpAdapterHost) => new ConsoleStatic(adapter, log), inject: [HttpAdapterHost] }],
  };
};
