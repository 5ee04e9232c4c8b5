import { type CanActivate, type ExecutionContext, Controller, Injectable, Param, ParseUUIDPipe, UseGuards, applyDecorators, createParamDecorator } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { type CommandMetadata, Forbidden, NotFound } from '@dotpha/kernel';
import { OrgChart, type Role, type User, isRole } from '@dotpha/org';
import { randomUUID } from 'crypto';
import { TokenVerifier, Unauthorized, type VerifiedToken } from './auth';
import { logContext } from './observability/logging';

/** Who is calling: a user of the instance's organisation acting in one of their roles. */
export interface Caller {
  readonly user: User;
  readonly role: Role;
  readonly unitId: string;
}

/**
 * Resolves the caller of a request from its verified bearer token: the token names the user;
 * the role to act in is the `x-role` header, else the token's `role` claim, else the user's first
 * role, and must be one the organisation file gives the user.
 */
export function resolveCaller(org: OrgChart, token: VerifiedToken, request: Pick<Request, 'headers'>): Caller {
  const user = org.users.find((u) => u.id === token.userId);
  if (!user) throw new Unauthorized('the token names no user of this instance');
  const role = header(request, 'x-role') ?? token.role ?? user.roles[0];
  if (!isRole(role) || !user.roles.includes(role)) throw new Forbidden(`user '${user.id}' does not hold the role '${role}'`);
  return { user, role, unitId: user.unitId };
}

function header(request: Pick<Request, 'headers'>, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Any cadre may act as proposer of their own proposal, whatever their post (docs/domain-conventions.md). */
export function actsAs(caller: Caller, allowed: readonly string[]): boolean {
  return allowed.includes(caller.role) || (allowed.includes('proposer') && caller.role !== 'analyst' && caller.role !== 'admin');
}

export function requireRole(caller: Caller, allowed: readonly string[], what: string): void {
  if (!actsAs(caller, allowed)) throw new Forbidden(`the role '${caller.role}' may not ${what}`);
}

/**
 * Refuses acting on a unit outside the caller's jurisdiction (their unit and the units it manages)
 * exactly as an unknown id is refused (404): a command must not confirm that another unit's object
 * exists, nor name the unit.
 */
export function requireJurisdiction(org: OrgChart, caller: Caller, unitId: string, what = 'object', id = ''): void {
  if (!org.inJurisdiction(caller.user.id, unitId)) throw new NotFound(what, id);
}

/**
 * The metadata of a command a caller sends. Its correlation id is the request's (`x-correlation-id`,
 * checked and set by the runtime's correlation middleware, and on every log line of the request),
 * so the events, the log lines and what other services do in reaction share one id.
 */
export function commandMetadata(caller: Caller, now: Date, request?: Pick<Request, 'headers'>): CommandMetadata {
  const given = request?.headers['x-correlation-id'];
  const correlationId = typeof given === 'string' ? given : (logContext.getStore()?.correlationId ?? randomUUID());
  return { actor: { userId: caller.user.id, role: caller.role }, now, correlationId, causationId: null };
}

/** Puts the resolved caller on the request; every route but the docs and the local issuer needs one. */
@Injectable()
export class CallerGuard implements CanActivate {
  constructor(private readonly org: OrgChart, private readonly tokens: TokenVerifier) {}
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { caller?: Caller }>();
    const token = await this.tokens.verify(header(request, 'authorization'));
    request.caller = resolveCaller(this.org, token, request);
    return true;
  }
}

export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const request = context.switchToHttp().getRequest<Request & { caller?: Caller }>();
  if (!request.caller) throw new Unauthorized('no caller');
  return request.caller;
});

/** A controller of a service's resources at `path`: every route needs a verified caller (CallerGuard); `tag` names it in the OpenAPI document. */
export const CallerController = (path: string, tag: string = path) => applyDecorators(ApiTags(tag), UseGuards(CallerGuard), Controller(path));

/** A route parameter that must be a UUID (400 otherwise). */
export const UuidParam = (name: string) => Param(name, ParseUUIDPipe);
