import { type ProposalPeople, peopleIds } from '@dotpha/rewards-domain';

/**
 * C14-2.4f, DOMAIN.md §4.5: "every decision about a person is shown to that person". A notice
 * says what happened and where to read it; restricted free text (assessments, reasons, answers,
 * grounds described in words) stays in the record it belongs to and is never copied here.
 */
export interface Notice {
  /** The eventId of the event the notice tells of: a notice per event, whatever the redelivery. */
  readonly id: string;
  readonly type: string;
  readonly proposalId?: string;
  readonly caseId?: string;
  readonly summary: string;
  /** Where the decision can be read, on the service that recorded it. */
  readonly readAt: string;
  readonly at: string;
  readonly streamId: string;
  readonly position: number;
  /** Only these people, not everyone of the thread (e.g. a cadre's own answer). */
  readonly to?: readonly string[];
}

/**
 * The notices of one proposal, one inspection case or one sent report, and who receives them.
 * Recipients are resolved when read: a co-proposer learnt of late still sees the earlier notices.
 */
export interface NoticeThread {
  readonly threadId: string;
  readonly proposalId: string | null;
  readonly caseId: string | null;
  /** D73-10b: the people of the proposal, as far as the events have named them. */
  readonly people: ProposalPeople | null;
  /** Others every notice of the thread reaches: protected persons, a case's subjects and reporter. */
  readonly members: readonly string[];
  /**
   * Recipient index: `recipients[recipientKey(userId)] === true` for everyone who receives any notice
   * here, so that one query finds a caller's threads (user ids are not field names: they are encoded).
   */
  readonly recipients: Readonly<Record<string, true>>;
  readonly notices: readonly Notice[];
}

export const NOTICE_THREADS = 'notice-threads';

/** A field name the read-model stores accept ([A-Za-z][A-Za-z0-9_]*) for any user id. */
export const recipientKey = (userId: string): string => `u${Buffer.from(userId, 'utf8').toString('hex')}`;

/** Who reads a notice of the thread. */
export function recipientsOf(thread: NoticeThread, notice: Notice): string[] {
  if (notice.to) return [...notice.to];
  return [...new Set([...(thread.people ? peopleIds(thread.people) : []), ...thread.members])];
}

/** The notices of the threads for one person, newest first. */
export function noticesFor(userId: string, threads: readonly NoticeThread[]): Notice[] {
  return threads
    .flatMap((thread) => thread.notices.filter((n) => recipientsOf(thread, n).includes(userId)))
    .map(({ to: _, ...notice }) => notice)
    .sort((a, b) => (a.at === b.at ? b.position - a.position || (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1));
}
