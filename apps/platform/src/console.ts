import { existsSync } from 'fs';
import { join } from 'path';
import { type CanActivate, type DynamicModule, type ExecutionContext, Controller, Get, Inject, Module, type OnModuleInit, UseGuards } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { RegisterService, RuntimeConfig, TokenVerifier } from '@dotpha/service-runtime';

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

class SignInConfigDto {
  @ApiProperty({ enum: ['local', 'oidc'], description: "local: pick a user of the organisation file (development); oidc: Authorization Code + PKCE at the instance's provider" })
  kind!: 'local' | 'oidc';
  @ApiPropertyOptional({ description: "The provider's issuer (DOTPHA_OIDC_ISSUER)" }) issuer?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: "The console's client at the provider (DOTPHA_OIDC_CLIENT_ID); null: not configured" }) clientId?: string | null;
  @ApiPropertyOptional({ description: 'The audience the access token is asked for (DOTPHA_OIDC_AUDIENCE)' }) audience?: string;
}

/** How the console signs in: with the local issuer, or at the instance's OpenID Connect provider (also the distributed mode's gateway's answer). */
export function signInConfig(auth: RuntimeConfig['auth']): SignInConfigDto {
  return auth.kind === 'oidc' ? { kind: 'oidc', issuer: auth.issuer, clientId: auth.clientId ?? null, audience: auth.audience } : { kind: 'local' };
}

/** The instance and the users of its organisation file (also the distributed mode's gateway's answer). */
export function signInDirectory(org: RuntimeConfig['org']): SignInDirectoryDto {
  return {
    instance: { id: org.instance.code, name: org.instance.name },
    users: org.users.map((u) => ({ id: u.id, name: u.name, title: u.title ?? '', unit: { id: u.unitId, name: org.unit(u.unitId).name }, roles: [...u.roles] })),
  };
}

/** Tells the console how to sign in: with the local issuer, or at the instance's OpenID Connect provider. */
function signInConfigController(auth: RuntimeConfig['auth']) {
  const answer = signInConfig(auth);
  @ApiTags('auth')
  @Controller('auth')
  class SignInConfigController {
    @Get('config')
    @ApiOperation({ summary: 'How the console signs in (the local issuer, or the OpenID Connect provider and its client)', security: [] })
    @ApiOkResponse({ type: SignInConfigDto })
    config(): SignInConfigDto {
      return answer;
    }
  }
  return SignInConfigController;
}

/**
 * The users of the organisation file: with the local issuer, to anyone (the console's development
 * sign-in offers them; the issuer's own `POST /auth/token` takes any of them); with an OpenID
 * Connect provider, to a signed-in caller only (the console names people and roles with it).
 */
function directoryController(org: RuntimeConfig['org'], tokens: TokenVerifier | null) {
  const local = tokens === null;
  const signedIn: CanActivate = {
    canActivate: async (context: ExecutionContext) => Boolean(await tokens?.verify(context.switchToHttp().getRequest<Request>().headers.authorization)),
  };
  @ApiTags('auth')
  @Controller('auth')
  @UseGuards(...(local ? [] : [signedIn]))
  class DirectoryController {
    @Get('users')
    @ApiOperation({ summary: 'The users of the organisation file (open with the local issuer; a signed-in caller with an OpenID Connect provider)', ...(local ? { security: [] } : {}) })
    @ApiOkResponse({ type: SignInDirectoryDto })
    users(): SignInDirectoryDto {
      return signInDirectory(org);
    }
  }
  return DirectoryController;
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
export const registerConsole: RegisterService = (config, hub): DynamicModule => {
  const log = config.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  @Module({})
  class ConsoleModule {}
  return {
    module: ConsoleModule,
    controllers: [signInConfigController(config.auth), directoryController(config.org, config.auth.kind === 'local' ? null : hub.tokens)],
    providers: [{ provide: ConsoleStatic, useFactory: (adapter: HttpAdapterHost) => new ConsoleStatic(adapter, log), inject: [HttpAdapterHost] }],
  };
};
