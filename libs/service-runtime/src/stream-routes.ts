import { Get } from '@nestjs/common';
import { type Caller, CurrentCaller, UuidParam } from './actor';

/** What a service answers about one of its objects (a stream): the object as the caller may read it, and its history. */
export interface StreamReads {
  get(caller: Caller, id: string): Promise<unknown>;
  history(caller: Caller, id: string): Promise<unknown>;
}

/**
 * The two reads of an object every resource controller answers, `GET /:param` and
 * `GET /:param/history`, written once: a controller extends `StreamRoutes('proposalId')` and
 * hands the service that answers them to `super`. Its own routes come first, so a fixed path such
 * as `/overdue` is matched before `/:param`.
 */
export function StreamRoutes(param: string) {
  abstract class StreamRoutesController {
    constructor(private readonly reads: StreamReads) {}

    @Get(`:${param}`)
    get(@CurrentCaller() caller: Caller, @UuidParam(param) id: string) {
      return this.reads.get(caller, id);
    }

    @Get(`:${param}/history`)
    history(@CurrentCaller() caller: Caller, @UuidParam(param) id: string) {
      return this.reads.history(caller, id);
    }
  }
  return StreamRoutesController;
}
