import { readFileSync } from 'fs';
import { ROLES, type Role, loadOrgChart } from '@dotpha/org';
import { SAMPLE_ORG_FILE, actsAs, type Caller as RuntimeCaller } from '@dotpha/service-runtime';
import { commandRoles as proposalsRoles } from '@dotpha/proposals-domain';
import { commandRoles as approvalsRoles } from '@dotpha/approvals-domain';
import { commandRoles as monitoringRoles } from '@dotpha/monitoring-domain';
import { commandRoles as evaluationRoles } from '@dotpha/evaluation-domain';
import { commandRoles as rewardsRoles } from '@dotpha/rewards-domain';
import { Caller, type Reply, ok, request, until } from './client';
import { type Platform, type ServiceName, startDistributed, startOneProcess } from './platform';
import { type CommandEndpoint, CADRES, ENDPOINTS, nameOf } from './authorization.table';
import { SUPERVISOR, YEAR, achievedAssessment, evaluationConsultation, pilotApproval, proposalContent } from './fixtures';

/**
 * Issue 4, "each role can do what §2 gives it and nothing else": every command endpoint × every
 * role of DOMAIN.md §2, over HTTP, in the one-process mode and against the five processes on the
 * real Kafka broker and MongoDB-compatible server.
 *
 * Each cell is one user of the sample province who holds the role, acting in it (`x-role`), on a
 * real target of the right kind (a draft of their own, an open review, a running pilot, an open
 * evaluation, a recommended recognition). Wherever the province has one, the user is the very
 * person the command expects (the named reviewer, the named supervisor, the proposer) or at least
 * one whose jurisdiction covers the target, so that only the role can be what refuses them.
 * - a role the endpoint does not allow: exactly 403, the refusal names the role (not jurisdiction
 *   or person), and the target's event streams are unchanged;
 * - an allowed role: never 401 or 403 (200/201, or 404/409/422 when the target's state says no);
 * - no token at all: 401 (the guard answers before any service code runs).
 * Per context, the refused roles run first, then the allowed ones, in an order where one success
 * does not take the target away from the next: a later allowed role may find the target decided
 * (409/422), which it only learns after the role and person checks have let it through.
 */

const org = loadOrgChart(JSON.parse(readFileSync(SAMPLE_ORG_FILE, 'utf8')));
const holds = (userId: string, role: Role) => org.user(userId).roles.includes(role);

// ---- the people (libs/org/data/sample-province.json) ----
const SNV = 'tm-so-noi-vu';
const HEAD_SNV = 'u-snv-giam-doc'; // proposer, unit-head, collective, authority of Sở Nội vụ
const DEPUTY_SNV = 'u-snv-pho-giam-doc';
const OFFICE_SNV = 'u-snv-thi-dua'; // proposer, organization-office (Sở Nội vụ)
const EVALUATOR_SNV = 'u-snv-danh-gia'; // proposer, evaluator (Sở Nội vụ)
const EVALUATOR = 'u-ubnd-danh-gia'; // the province's evaluator (UBND tỉnh)
const INSPECTOR = 'u-tu-kiem-tra'; // province-wide inspector (Tỉnh ủy)
const COMMITTEE = 'u-ubnd-pct-1'; // proposer, collective, city-committee (UBND tỉnh)
const UBND_HEAD = 'u-ubnd-chu-tich'; // proposer, unit-head, collective, authority, city-committee
const OFFICE_BTC = 'u-btc-chuyen-vien'; // organization-office of Ban Tổ chức
const HEAD_SKHCN = 'u-skhcn-giam-doc'; // proposer, unit-head, collective, authority of Sở KH&CN
const INSPECTOR_UBKT = 'u-ubkt-kiem-tra-vien'; // proposer, inspector
const HEAD_UBKT = 'u-ubkt-chu-nhiem';
const HEAD_STC = 'u-stc-giam-doc';

/** Whose own proposal each role acts on for the proposer's commands (any cadre acts as proposer of their own). */
const AUTHOR: Record<Role, string> = {
  proposer: 'u-ccvc-chuyen-vien',
  'unit-head': 'u-ccvc-truong-phong',
  collective: 'u-ccvc-pho-phong',
  authority: 'u-ab-chu-tich',
  supervisor: SUPERVISOR,
  evaluator: EVALUATOR,
  inspector: 'u-ubkt-pho-chu-nhiem',
  'organization-office': OFFICE_BTC,
  'city-committee': 'u-ubnd-pct-2',
  analyst: 'u-vp-phan-tich',
  admin: 'u-vp-quan-tri',
};
const ADMIN = AUTHOR.admin;

/** The pilots: each proposed by someone holding the roles that act on it as its proposer. */
type PilotKey = 'office' | 'evaluator' | 'head' | 'committee' | 'inspector';
const PILOT_PROPOSER: Record<PilotKey, string> = {
  office: OFFICE_SNV, // the running pilot the supervisor and the leaders act on
  evaluator: EVALUATOR_SNV, // completed: its evaluation and recognition are the main targets
  head: HEAD_SKHCN, // a head's proposal (to the superior head, Decree 73 Art. 7): proposer, unit-head, collective, authority
  committee: COMMITTEE,
  inspector: INSPECTOR_UBKT,
};
/** Which of them a role acts on as its proposer. */
const OWN_PILOT: Record<Role, PilotKey> = {
  proposer: 'head', 'unit-head': 'head', collective: 'head', authority: 'head',
  supervisor: 'office', evaluator: 'evaluator', inspector: 'inspector', 'organization-office': 'office', 'city-committee': 'committee',
  analyst: 'office', admin: 'office',
};

// ---- the cells ----

/** What the test holds while it runs: the targets the setup made. */
interface Targets {
  ownProposal: Partial<Record<Role, string>>;
  initiatives: { approve?: string; reject?: string };
  review?: string;
  /** One review per decision that ends a round: the first role decides it, the others find it decided (409). */
  decisions: Record<string, string>;
  pilots: Partial<Record<PilotKey, string>>;
}

/** What a refused command must leave as it was: a stream's length, or how many proposals a user has made. */
type Probe = (t: Targets) => { readonly what: string; readonly read: () => Promise<number> };

/** Who reads a stream's audit trail for a probe: the service decides who may (issue 12). */
interface Reader {
  readonly userId: string;
  readonly role: Role;
}

interface Cell {
  readonly endpoint: CommandEndpoint;
  readonly role: Role;
  readonly actor: string;
  readonly path: (t: Targets) => string;
  readonly probe?: Probe;
  /** Allowed by role, but no user of the sample province can be the person the command needs. */
  readonly personOnly?: string;
}

const idOf = (id: string | undefined, what: string): string => {
  if (!id) throw new Error(`the setup made no ${what}`);
  return id;
};
const pathWith = (route: string, id: string) => route.replace(':proposalId', id);
const streamOf = (e: CommandEndpoint): string => ({ approvals: 'review', monitoring: 'pilot', evaluation: 'evaluation', rewards: 'recognition', proposals: 'proposal' })[e.service];

/**
 * A user holding `role` for a refused cell: the first of `people` (who the command expects) who
 * holds it, else someone holding it whose jurisdiction covers `unitId`, else anyone holding it
 * (the sample province has no such user there; the role is checked before jurisdiction anyway).
 */
function holderOf(role: Role, people: readonly string[], unitId?: string): string {
  const expected = people.find((u) => holds(u, role));
  if (expected) return expected;
  const all = org.users.filter((u) => u.roles.includes(role)).map((u) => u.id);
  return (unitId ? all.find((u) => org.inJurisdiction(u, unitId)) : undefined) ?? all[0];
}

/** The target of a refused (or unauthenticated) cell, and who acts on it. */
function refusedCell(
  e: CommandEndpoint,
  role: Role,
  stream: (service: ServiceName, id: string, reader?: Reader, exists?: boolean) => Promise<number>,
  count: (userId: string, role: Role) => Promise<number>,
): Cell {
  const base = { endpoint: e, role };
  // A target made by the setup must be read (a probe that cannot read it would compare 0 with 0).
  const streamProbe = (service: ServiceName, streamId: string, reader?: Reader, exists = true) => ({ what: `stream ${streamId}`, read: () => stream(service, streamId, reader, exists) });
  const mainId = (t: Targets): string => {
    switch (e.target) {
      case 'review': return idOf(t.review, 'review');
      case 'pilot': return idOf(t.pilots.office, 'running pilot');
      case 'evaluation':
      case 'recognition': return idOf(t.pilots.evaluator, `${e.target}`);
      default: throw new Error(`no main target for ${e.target}`);
    }
  };
  switch (e.target) {
    case 'new-proposal':
      return { ...base, actor: AUTHOR[role], path: () => e.route, probe: () => ({ what: `proposals of ${AUTHOR[role]}`, read: () => count(AUTHOR[role], role) }) };
    case 'own-proposal': {
      const id = (t: Targets) => idOf(t.ownProposal[role], `own proposal for ${role}`);
      return { ...base, actor: AUTHOR[role], path: (t) => pathWith(e.route, id(t)), probe: (t) => streamProbe('proposals', `proposal-${id(t)}`, { userId: AUTHOR[role], role }) };
    }
    case 'new-registration': {
      const actor = holderOf(role, [HEAD_SNV], SNV);
      return { ...base, actor, path: () => e.route, probe: () => streamProbe('proposals', `registration-${org.user(actor).unitId}-${YEAR}`, { userId: actor, role }, false) };
    }
    case 'registration': {
      const which = e.route.endsWith('approve') ? 'approve' : 'reject';
      return {
        ...base,
        actor: holderOf(role, [UBND_HEAD, COMMITTEE], SNV),
        path: (t) => `/registrations/${SNV}/${YEAR}/${idOf(t.initiatives[which], 'initiative')}/${which}`,
        probe: () => streamProbe('proposals', `registration-${SNV}-${YEAR}`),
      };
    }
    case 'review':
    case 'pilot':
    case 'evaluation':
    case 'recognition': {
      const people = {
        review: [HEAD_SNV],
        pilot: [SUPERVISOR, HEAD_SNV, OFFICE_SNV],
        evaluation: [EVALUATOR, HEAD_SNV, SUPERVISOR, EVALUATOR_SNV],
        recognition: [OFFICE_SNV, HEAD_SNV, COMMITTEE],
      }[e.target];
      return {
        ...base,
        actor: holderOf(role, people, SNV),
        path: (t) => pathWith(e.route, mainId(t)),
        probe: (t) => streamProbe(e.service, `${streamOf(e)}-${mainId(t)}`),
      };
    }
    case 'store':
      return { ...base, actor: holderOf(role, [ADMIN]), path: () => e.route };
  }
}

/** The target of an allowed cell: the person the command expects, on a target still able to take it. */
function allowedCell(e: CommandEndpoint, role: Role): Cell {
  const base = { endpoint: e, role };
  const on = (actor: string, id: (t: Targets) => string | undefined, what: string, personOnly?: string): Cell => ({
    ...base, actor, personOnly, path: (t) => pathWith(e.route, idOf(id(t), what)),
  });
  const pilot = (key: PilotKey) => (t: Targets) => t.pilots[key];
  const route = e.route.split('/').pop()!;
  switch (e.target) {
    case 'new-proposal':
      return { ...base, actor: AUTHOR[role], path: () => e.route };
    case 'own-proposal':
      return on(AUTHOR[role], (t) => t.ownProposal[role], `own proposal for ${role}`);
    case 'new-registration':
      return { ...base, actor: HEAD_STC, path: () => e.route };
    case 'registration': {
      const which = route as 'approve' | 'reject';
      return { ...base, actor: COMMITTEE, path: (t) => `/registrations/${SNV}/${YEAR}/${idOf(t.initiatives[which], 'initiative')}/${which}` };
    }
    case 'review':
      // The head of Sở Nội vụ holds all three reviewing roles: the same person, one role at a time.
      if (['consult', 'votes', 'tally', 'override'].includes(route)) return on(HEAD_SNV, (t) => t.review, 'review');
      // Once the head has escalated, the review sits with the head of UBND tỉnh, who holds the three roles too.
      if (route === 'escalate' && role !== 'unit-head') return on(UBND_HEAD, (t) => t.decisions.escalate, 'review to escalate');
      return on(HEAD_SNV, (t) => t.decisions[route], `review to ${route}`);
    case 'pilot':
      if (route === 'start' || route === 'progress') {
        if (role === 'supervisor' && route === 'start') return on(SUPERVISOR, pilot('inspector'), 'pilot');
        if (role === 'supervisor') {
          // On the pilot of the supervisor's own department, so that jurisdiction is not what answers.
          return on(SUPERVISOR, pilot('head'), 'pilot', 'only the proposer reports progress, and the only supervisor of the sample province cannot propose a pilot (its plan needs another supervisor)');
        }
        return on(PILOT_PROPOSER[OWN_PILOT[role]], pilot(OWN_PILOT[role]), 'pilot');
      }
      if (role === 'supervisor') return on(SUPERVISOR, pilot(route === 'complete' ? 'evaluator' : 'office'), 'pilot');
      if (route === 'terminate') return on(UBND_HEAD, pilot('committee'), 'pilot');
      return on(HEAD_SNV, pilot('office'), 'pilot');
    case 'evaluation':
      if (route === 'results') {
        if (role === 'supervisor') {
          return on(SUPERVISOR, pilot('head'), 'evaluation', 'only the implementer reports results, and the only supervisor of the sample province cannot propose a pilot');
        }
        return on(PILOT_PROPOSER[OWN_PILOT[role]], pilot(OWN_PILOT[role]), 'evaluation');
      }
      if (route === 'abuse-referrals') {
        const referrer: Partial<Record<Role, string>> = { evaluator: EVALUATOR, supervisor: SUPERVISOR, authority: UBND_HEAD, inspector: INSPECTOR };
        return on(idOf(referrer[role], `referrer ${role}`), pilot('head'), 'evaluation');
      }
      if (route === 'liability' || route === 'close') return on(EVALUATOR, pilot('office'), 'evaluation');
      return on(role === 'unit-head' ? HEAD_SNV : EVALUATOR, pilot('evaluator'), 'evaluation');
    case 'recognition': {
      if (route === 'decline') return on(OFFICE_SNV, pilot('committee'), 'recognition');
      const actor: Partial<Record<Role, string>> = { authority: HEAD_SNV, 'city-committee': COMMITTEE, 'organization-office': route === 'grant' ? OFFICE_BTC : OFFICE_SNV };
      return on(idOf(actor[role], `${role} for ${route}`), pilot('evaluator'), 'recognition');
    }
    case 'store':
      return { ...base, actor: ADMIN, path: () => e.route };
  }
}

/**
 * Allowed cells in table order, except that suspend and resume alternate so that each role gets a
 * pilot in the right state, and a cell only the person check may refuse comes first on its target
 * (so that it meets that check, not a target another role has already moved on).
 */
function allowedOrder(cells: Cell[]): Cell[] {
  const key = (c: Cell) => {
    const route = c.endpoint.route.split('/').pop();
    const index = ENDPOINTS.indexOf(route === 'resume' ? ENDPOINTS.find((e) => e.route.endsWith('/suspend'))! : c.endpoint);
    return index * 100 + (c.personOnly ? -1 : ROLES.indexOf(c.role)) + (route === 'resume' ? 0.5 : 0);
  };
  return [...cells].sort((a, b) => key(a) - key(b));
}

const ROLE_CHECKS: Record<ServiceName, Record<string, readonly string[]>> = {
  proposals: proposalsRoles,
  approvals: approvalsRoles,
  monitoring: monitoringRoles,
  evaluation: evaluationRoles,
  rewards: rewardsRoles,
};

const ACCEPTED = [200, 201, 404, 409, 422];

describe('the authorization table (DOMAIN.md §2)', () => {
  it(`covers every role of §2 and ${ENDPOINTS.length} command endpoints: ${ENDPOINTS.length * ROLES.length} cells`, () => {
    expect(new Set(ENDPOINTS.map(nameOf)).size).toBe(ENDPOINTS.length);
  });

  it("agrees with each service's commandRoles, widened by actsAs (any cadre but analyst and admin acts as proposer)", () => {
    const drift: string[] = [];
    for (const e of ENDPOINTS) {
      const roles = ROLE_CHECKS[e.service]?.[e.command];
      if (e.target === 'store') continue;
      if (!roles) {
        drift.push(`${nameOf(e)}: no commandRoles entry '${e.command}' in ${e.service}`);
        continue;
      }
      const byService = ROLES.filter((role) => actsAs({ role } as RuntimeCaller, roles));
      if (byService.join() !== [...e.allowed].sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b)).join()) {
        drift.push(`${nameOf(e)}: table ${e.allowed.join(',')} / service ${byService.join(',')}`);
      }
    }
    expect(drift).toEqual([]);
  });

  it('acts only through users who hold the role they act in', () => {
    const noop = async () => 0;
    const wrong = ENDPOINTS.flatMap((e) =>
      ROLES.flatMap((role) => [refusedCell(e, role, noop, noop), ...(e.allowed.includes(role) ? [allowedCell(e, role)] : [])]),
    ).filter((c) => !holds(c.actor, c.role)).map((c) => `${nameOf(c.endpoint)} × ${c.role}: ${c.actor}`);
    expect(wrong).toEqual([]);
  });
});

function describeAuthorization(mode: string, start: () => Promise<Platform>): void {
  describe(`Authorization, every command endpoint × every role: ${mode}`, () => {
    let platform: Platform;
    const as = (userId: string, role?: string) => new Caller(platform, userId, role);
    const targets: Targets = { ownProposal: {}, initiatives: {}, decisions: {}, pilots: {} };
    /** Statuses the allowed roles got, per endpoint: each endpoint must have accepted one of them. */
    const accepted = new Map<string, number[]>();
    /** The last reading of each probe, valid until an allowed cell or a setup step writes again. */
    const seen = new Map<string, number>();

    /** Any request, with or without a bearer token (the Caller always sends one; /audit is nobody's service prefix there). */
    async function send(service: ServiceName, method: string, path: string, body?: unknown, who?: { userId: string; role: string }): Promise<Reply> {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (who) {
        headers.authorization = `Bearer ${await platform.token(who.userId)}`;
        headers['x-role'] = who.role;
      }
      return request(`${platform.url(service)}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    }

    /**
     * How many events a stream holds, from the store itself (the audit view of someone its service
     * lets read it: by default the head of Sở Nội vụ, where the targets are); 0 if it does not exist.
     */
    async function stream(service: ServiceName, streamId: string, reader: Reader = { userId: HEAD_SNV, role: 'unit-head' }, exists = false): Promise<number> {
      const reply = await send(service, 'GET', `/audit/streams/${streamId}`, undefined, reader);
      if (reply.status === 404 && exists) throw new Error(`audit of ${streamId}: ${reader.userId} (${reader.role}) cannot read it`);
      if (reply.status === 404) return 0;
      if (reply.status !== 200) throw new Error(`audit of ${streamId}: ${reply.status} ${JSON.stringify(reply.body)}`);
      return reply.body.events.length;
    }

    /** How many proposals a user has made (their own list). */
    async function count(userId: string, role: Role): Promise<number> {
      return ok(await as(userId, role).get('/proposals')).filter((p: { proposerId: string }) => p.proposerId === userId).length;
    }

    function run(cell: Cell): Promise<Reply> {
      const { endpoint: e, actor, role } = cell;
      const path = cell.path(targets);
      if (e.target === 'store') return send(e.service, e.method, path, e.body, { userId: actor, role });
      const caller = as(actor, role);
      return e.method === 'PUT' ? caller.put(path, e.body) : caller.post(path, e.body);
    }

    const refused = (e: CommandEndpoint) => ROLES.filter((role) => !e.allowed.includes(role)).map((role) => refusedCell(e, role, stream, count));

    function itRefuses(cell: Cell): void {
      const { endpoint: e, role, actor } = cell;
      it(`${nameOf(e)} × ${role} (${actor}): 403, writes nothing`, async () => {
        const probe = cell.probe?.(targets);
        // Refused cells change nothing, so what the previous one left is this one's "before".
        const before = probe && (seen.get(probe.what) ?? (await probe.read()));
        const reply = await run(cell);
        expect({ status: reply.status, message: reply.body?.message }).toEqual({ status: 403, message: expect.stringMatching(e.refusal ?? new RegExp(`'${role}'`)) });
        if (!probe) return;
        const after = await probe.read();
        seen.set(probe.what, after);
        expect({ [probe.what]: after }).toEqual({ [probe.what]: before });
      });
    }

    function itAllows(cell: Cell): void {
      const { endpoint: e, role, actor } = cell;
      it(`${nameOf(e)} × ${role} (${actor}): allowed${cell.personOnly ? ' by role (the person check decides)' : ''}`, async () => {
        const reply = await run(cell);
        const answer = `${nameOf(e)} × ${role} (${actor}) answered ${reply.status}: ${JSON.stringify(reply.body)}${cell.personOnly ? ` (${cell.personOnly})` : ''}`;
        if (cell.personOnly) {
          // §2 gives the role this command; only who the caller is may still refuse it, never the role or jurisdiction.
          if (reply.status === 401 || (reply.status === 403 && new RegExp(`'${role}'|jurisdiction`).test(String(reply.body?.message)))) throw new Error(answer);
          if (![403, ...ACCEPTED].includes(reply.status)) throw new Error(answer);
          return;
        }
        if (!ACCEPTED.includes(reply.status)) throw new Error(answer);
        accepted.set(nameOf(e), [...(accepted.get(nameOf(e)) ?? []), reply.status]);
      });
    }

    /** The refused roles of a context, then its allowed ones. */
    function cellsOf(services: readonly ServiceName[], host = false): void {
      const endpoints = ENDPOINTS.filter((e) => (host ? e.target === 'store' : e.target !== 'store' && services.includes(e.service)));
      describe('roles §2 does not give the command', () => {
        beforeAll(() => seen.clear());
        endpoints.flatMap(refused).forEach(itRefuses);
      });
      describe('roles §2 gives the command', () => allowedOrder(endpoints.flatMap((e) => e.allowed.map((role) => allowedCell(e, role)))).forEach(itAllows));
    }

    // ---- setup helpers: the life cycle of lifecycle.ts, as short as it goes ----

    async function draft(userId: string, title: string, scopeUnitIds: string[] = []): Promise<string> {
      return ok(await as(userId, 'proposer').post('/proposals', proposalContent(title, scopeUnitIds)), 201).proposalId;
    }

    async function submitted(userId: string, title: string, scopeUnitIds: string[] = []): Promise<string> {
      const id = await draft(userId, title, scopeUnitIds);
      ok(await as(userId, 'proposer').post(`/proposals/${id}/submit`));
      return id;
    }

    const reviewOpen = (reviewer: Caller, id: string) => until(() => reviewer.get(`/reviews/${id}`), (r) => r.status === 200, `the review of ${id} to open`);

    /** D73-8.1a: every member of the reviewing collective (the proposer aside) votes; the chair tallies. */
    async function collectiveVotes(chair: Caller, id: string, vote: 'for' | 'against'): Promise<void> {
      const review = await reviewOpen(chair, id);
      for (const member of review.body.collectiveMemberIds as string[]) {
        if (member === review.body.proposerId) continue;
        ok(await as(member, holds(member, 'collective') ? 'collective' : 'unit-head').post(`/reviews/${id}/votes`, { vote }));
      }
      ok(await chair.post(`/reviews/${id}/tally`, {}));
    }

    /** D73-eval: the evaluating collective approves the evaluator's draft; its head tallies. */
    async function evaluationVotes(id: string): Promise<void> {
      const view = await until(() => as(EVALUATOR, 'evaluator').get(`/evaluations/${id}`), (r) => (r.body?.collectiveVote?.memberIds?.length ?? 0) > 0, `the draft assessment of ${id}`);
      const { memberIds, headId } = view.body.collectiveVote as { memberIds: string[]; headId: string };
      for (const member of memberIds) ok(await as(member, member === headId ? 'unit-head' : 'collective').post(`/evaluations/${id}/votes`, { vote: 'for' }));
      ok(await as(headId, 'unit-head').post(`/evaluations/${id}/tally`, {}));
      await until(() => as(EVALUATOR, 'evaluator').get(`/evaluations/${id}`), (r) => r.body?.assessment !== null && r.body?.assessment !== undefined, `the assessment of ${id} to take effect`);
    }

    /** Submitted, approved to pilot by the reviewing level after its collective voted for it, planned. */
    async function plannedPilot(key: PilotKey): Promise<string> {
      const id = await submitted(PILOT_PROPOSER[key], `Thí điểm (${key})`);
      // A head's own proposal goes to the head of the managing unit (Decree 73 Art. 7, the default).
      const chairs: Record<PilotKey, string> = { office: HEAD_SNV, evaluator: HEAD_SNV, head: UBND_HEAD, committee: UBND_HEAD, inspector: HEAD_UBKT };
      const chair = as(chairs[key], 'unit-head');
      await reviewOpen(chair, id);
      ok(await chair.post(`/reviews/${id}/consult`, { opinion: 'Cấp ủy đồng ý.' }));
      await collectiveVotes(chair, id, 'for');
      ok(await chair.post(`/reviews/${id}/approve`, pilotApproval));
      await until(() => as(SUPERVISOR, 'supervisor').get(`/pilots/${id}`), (r) => r.status === 200, `the pilot (${key}) to be planned`);
      return id;
    }

    const pilotStatus = async (key: PilotKey) => (await as(SUPERVISOR, 'supervisor').get(`/pilots/${targets.pilots[key]}`)).body?.status;

    /** Moves a pilot to its end as its supervisor, whatever the cells did to it. */
    async function ended(key: PilotKey): Promise<void> {
      const id = targets.pilots[key]!;
      const supervisor = as(SUPERVISOR, 'supervisor');
      if ((await pilotStatus(key)) === 'planned') await as(PILOT_PROPOSER[key], 'proposer').post(`/pilots/${id}/start`);
      await supervisor.post(`/pilots/${id}/complete`);
      await until(() => as(PILOT_PROPOSER[key], 'proposer').get(`/evaluations/${id}`), (r) => r.status === 200, `the evaluation of the pilot (${key}) to open`);
    }

    /**
     * Open reviews at Sở Nội vụ: the main one, for the refused roles and the decisions that leave the
     * round open, and one per decision that ends a round.
     */
    async function openReviews(): Promise<void> {
      const head = as(HEAD_SNV, 'unit-head');
      // The deputy's proposal goes to the head, who alone makes up the collective without the proposer.
      targets.review = await submitted(DEPUTY_SNV, 'Đề xuất đang xét');
      for (const [i, decision] of ['escalate', 'request-revision', 'reject', 'approve'].entries()) {
        // Only a scope beyond what Sở Nội vụ manages is escalated.
        targets.decisions[decision] = await submitted([OFFICE_SNV, EVALUATOR_SNV][i % 2], `Đề xuất (${decision})`, decision === 'escalate' ? ['tm-so-tai-chinh'] : []);
      }
      await Promise.all([targets.review, ...Object.values(targets.decisions)].map((id) => reviewOpen(head, id!)));
      // D73-4: the party committee is consulted before an approval; D73-8.1a: the collective voted on both decisions.
      ok(await head.post(`/reviews/${targets.decisions.approve}/consult`, { opinion: 'Cấp ủy đồng ý.' }));
      await collectiveVotes(head, targets.decisions.approve!, 'for');
      await collectiveVotes(head, targets.decisions.reject!, 'against');
    }

    beforeAll(async () => {
      platform = await start();
    }, 180_000);
    afterAll(() => platform?.stop());

    // First, while the stores are small: an admin's verification reads every stream.
    describe('the runtime every service hosts', () => cellsOf([], true));

    describe('proposals: drafts, submissions, registrations', () => {
      beforeAll(async () => {
        // Every role's actor has a draft of their own, for the proposer's commands.
        await Promise.all(ROLES.map(async (role) => (targets.ownProposal[role] = await draft(AUTHOR[role], `Đề xuất riêng (${role})`))));
        const head = as(HEAD_SNV, 'unit-head');
        const register = async () => ok(await head.post('/registrations', { year: YEAR, title: 'Số hóa hồ sơ', field: 'administrative-reform', summary: 'Hồ sơ điện tử.' }), 201).initiativeId;
        targets.initiatives.approve = await register();
        targets.initiatives.reject = await register();
        // The refused drafts are counted on the authors' own lists: those must show the setup's first.
        for (const role of ROLES) {
          await until(() => count(AUTHOR[role], role), (n) => n >= 1, `the draft of ${AUTHOR[role]} to show`);
        }
      }, 120_000);
      cellsOf(['proposals']);
    });

    describe('approvals: an open review', () => {
      beforeAll(openReviews, 120_000);
      cellsOf(['approvals']);
    });

    describe('monitoring: a running pilot', () => {
      beforeAll(async () => {
        await Promise.all((Object.keys(PILOT_PROPOSER) as PilotKey[]).map(async (key) => (targets.pilots[key] = await plannedPilot(key))));
        ok(await as(OFFICE_SNV, 'proposer').post(`/pilots/${targets.pilots.office}/start`));
      }, 120_000);
      cellsOf(['monitoring']);
    });

    describe('evaluation: an open evaluation', () => {
      beforeAll(async () => {
        // The cells ended the office pilot (terminated), the committee's (terminated) and the evaluator's (completed).
        await Promise.all((['head', 'inspector'] as PilotKey[]).map(ended));
        await Promise.all(
          (['office', 'evaluator', 'committee'] as PilotKey[]).map((key) =>
            until(() => as(PILOT_PROPOSER[key], 'proposer').get(`/evaluations/${targets.pilots[key]}`), (r) => r.status === 200, `the evaluation of the pilot (${key}) to open`),
          ),
        );
        // The liability and closing cells act on the office's evaluation, carried to where liability
        // may be decided: assessed by the collective and answered by the cadre (D73-eval, C14-2.4f).
        const decidable = targets.pilots.office!;
        const implementer = as(PILOT_PROPOSER.office, 'proposer');
        const evaluator = as(EVALUATOR, 'evaluator');
        ok(await implementer.post(`/evaluations/${decidable}/results`, { report: 'Kết quả (văn bản).' }));
        ok(await evaluator.post(`/evaluations/${decidable}/consult`, evaluationConsultation));
        ok(await evaluator.post(`/evaluations/${decidable}/assessment`, achievedAssessment));
        await evaluationVotes(decidable);
        ok(await implementer.post(`/evaluations/${decidable}/answer`, { answer: 'Tôi không có ý kiến khác.' }));
      }, 120_000);
      cellsOf(['evaluation']);
    });

    describe('rewards: a recommended recognition', () => {
      beforeAll(async () => {
        // The committee's pilot is evaluated as achieved too, so that one recognition can be granted and another declined.
        const id = targets.pilots.committee!;
        const evaluator = as(EVALUATOR, 'evaluator');
        await as(COMMITTEE, 'proposer').post(`/evaluations/${id}/results`, { report: 'Kết quả (văn bản).' });
        ok(await evaluator.post(`/evaluations/${id}/consult`, evaluationConsultation));
        ok(await evaluator.post(`/evaluations/${id}/assessment`, achievedAssessment));
        // D73-eval: the collective's vote makes each draft assessment (the cells drafted the evaluator's) the outcome.
        await evaluationVotes(id);
        await evaluationVotes(targets.pilots.evaluator!);
        const office = as(OFFICE_SNV, 'organization-office');
        for (const key of ['evaluator', 'committee'] as PilotKey[]) {
          await until(() => office.get(`/recognitions/${targets.pilots[key]}`), (r) => r.status === 200 && r.body.status === 'recommended', `the recognition (${key}) to be recommended`);
        }
      }, 120_000);
      cellsOf(['rewards']);
    });

    describe('no bearer token', () => {
      for (const e of ENDPOINTS) {
        const cell = refusedCell(e, 'proposer', stream, count);
        it(`${nameOf(e)} without a token: 401`, async () => {
          const reply = await send(e.service, e.method, cell.path(targets), e.body);
          expect({ status: reply.status, code: reply.body?.code }).toEqual({ status: 401, code: 'UNAUTHORIZED' });
        });
      }
    });

    describe('what the table proves', () => {
      it('every endpoint accepted at least one of the roles §2 gives it (real targets, valid bodies)', () => {
        const never = ENDPOINTS.map(nameOf).filter((name) => !(accepted.get(name) ?? []).some((s) => s === 200 || s === 201));
        expect(never).toEqual([]);
      });

      it('the refused drafts left no proposal behind', async () => {
        // Once the allowed roles' later drafts show, the refused ones would have too.
        for (const role of CADRES) await until(() => count(AUTHOR[role], role), (n) => n >= 2, `the allowed draft of ${AUTHOR[role]} to show`);
        for (const role of ROLES.filter((r) => !CADRES.includes(r))) expect([role, await count(AUTHOR[role], role)]).toEqual([role, 1]);
      });
    });
  });
}

describeAuthorization('one process (embedded store, in-process bus)', () => startOneProcess());
describeAuthorization(`five processes (${process.env.DOTPHA_KAFKA_KIND}; ${process.env.DOTPHA_MONGO_KIND})`, () => startDistributed());
