import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Role, answer, api } from './api/client';
import type { Notice } from './api/views';
import { LANGUAGES } from './i18n';
import { Assignments } from './pages/Assignments';
import { Evaluation } from './pages/Evaluation';
import { RecordList } from './pages/Lists';
import { Inspection } from './pages/Inspection';
import { Notices } from './pages/Notices';
import { Audit, Operator } from './pages/Operations';
import { Pilot } from './pages/Pilot';
import { ProposalDetail } from './pages/ProposalDetail';
import { ProposalForm } from './pages/ProposalForm';
import { Proposals } from './pages/Proposals';
import { CadreRecord, Recognition } from './pages/Recognition';
import { Registrations } from './pages/Registrations';
import { Reports } from './pages/Reports';
import { ReviewDetail } from './pages/ReviewDetail';
import { Reviews } from './pages/Reviews';
import { SignIn } from './pages/SignIn';
import { useRoute } from './router';
import { useSession } from './session';
import { PageBoundary } from './ui';

const REVIEWING: readonly Role[] = ['unit-head', 'collective', 'authority'];
/** The header's links: a page and the roles it is for (every role when none are named). */
const NAV: readonly (readonly [path: string, roles?: readonly Role[]])[] = [
  ['proposals'], ['proposals/new', ['proposer']], ['reviews', REVIEWING],
  ['pilots', ['proposer', 'supervisor', 'unit-head', 'collective', 'authority']],
  ['evaluations', ['proposer', 'evaluator', 'unit-head', 'collective', 'inspector', 'authority']],
  ['recognitions', ['proposer', 'organization-office', 'city-committee', 'unit-head']],
  ['inspection', ['proposer', 'inspector']], ['registrations', ['unit-head', 'city-committee']],
  ['assignments', ['proposer', 'unit-head', 'authority', 'city-committee']],
  ['reports', ['organization-office', 'city-committee', 'analyst', 'authority', 'unit-head']], ['audit'], ['operator', ['admin']],
];
const seenKey = (userId: string) => `dotpha.notices.seen.${userId}`;

/** The caller's notices and how many arrived since they last opened the inbox (kept in this browser). */
function useNotices(userId: string | undefined, route: readonly string[]) {
  const [notices, setNotices] = useState<readonly Notice[] | null>(null);
  const [seen, setSeen] = useState('');
  useEffect(() => {
    if (!userId) return;
    setSeen(localStorage.getItem(seenKey(userId)) ?? '');
    const load = () => void answer<Notice[]>(api.GET('/api/v1/me/notices')).then(setNotices, () => undefined);
    load();
    const timer = setInterval(load, 15_000);
    return () => clearInterval(timer);
  }, [userId, route.join('/')]);
  useEffect(() => {
    if (userId && route[0] === 'notices' && notices?.length) {
      const latest = notices.reduce((max, n) => (n.at > max ? n.at : max), '');
      localStorage.setItem(seenKey(userId), latest);
    }
  }, [userId, route[0], notices]);
  const unread = route[0] === 'notices' ? 0 : (notices ?? []).filter((n) => n.at > seen).length;
  return { notices, unread };
}

export function App() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const route = useRoute();
  const { notices, unread } = useNotices(session.user?.id, route);
  const user = session.user;
  const reviewing = session.role !== null && REVIEWING.includes(session.role);

  const page = () => {
    if (!user) return <SignIn />;
    const [section, id, sub] = route;
    if (section === 'proposals' && id === 'new') return <ProposalForm key="new" />;
    if (section === 'proposals' && id && sub === 'edit') return <ProposalForm key={id} proposalId={id} />;
    if (section === 'proposals' && id) return <ProposalDetail key={id} proposalId={id} />;
    if (section === 'reviews' && id) return <ReviewDetail key={id} proposalId={id} />;
    if (section === 'reviews' || (!section && reviewing)) return <Reviews />;
    if (section === 'pilots' && id) return <Pilot key={id} proposalId={id} />;
    if (section === 'evaluations' && id) return <Evaluation key={id} proposalId={id} />;
    if (section === 'recognitions' && id) return <Recognition key={id} proposalId={id} />;
    if ((section === 'pilots' || section === 'evaluations' || section === 'recognitions') && !id) return <RecordList key={section} kind={section} />;
    if (section === 'cadres' && id) return <CadreRecord key={id} userId={id} />;
    if (section === 'notices') return <Notices notices={notices} />;
    if (section === 'inspection') return <Inspection />;
    if (section === 'registrations') return <Registrations />;
    if (section === 'assignments') return <Assignments />;
    if (section === 'reports') return <Reports />;
    if (section === 'audit') return <Audit key={id ?? ''} streamId={id} />;
    if (section === 'operator') return <Operator />;
    return <Proposals />;
  };

  return (
    <>
      <a className="skip" href="#main">{t('app.skip')}</a>
      <header className="top">
        <div className="brand">
          <strong>{t('app.name')}</strong>
          <span>{session.directory?.instance.name}</span>
        </div>
        <div className="controls">
          <label className="inline">
            <span>{t('language.label')}</span>
            <select value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
              {LANGUAGES.map((l) => <option key={l} value={l}>{t(`language.${l}`)}</option>)}
            </select>
          </label>
          {user && (
            <>
              <span className="who">{t('header.signedInAs', { name: user.name })}</span>
              {user.roles.length > 1 && (
                <label className="inline">
                  <span>{t('header.role')}</span>
                  <select value={session.role ?? ''} onChange={(e) => session.switchRole(e.target.value as Role)}>
                    {user.roles.map((r) => <option key={r} value={r}>{t(`roles.${r}` as 'roles.proposer')}</option>)}
                  </select>
                </label>
              )}
              <button type="button" onClick={session.signOut}>{t('signIn.signOut')}</button>
            </>
          )}
        </div>
      </header>
      {user && (
        <nav className="tabs" aria-label={t('nav.label')}>
          {NAV.filter(([, roles]) => !roles || (session.role !== null && roles.includes(session.role))).map(([path]) => (
            <a key={path} href={`#/${path}`} aria-current={route.join('/') === path || (route[0] === path && !route[1]) ? 'page' : undefined}>{t(`nav.${path.replace('/', '-')}`)}</a>
          ))}
          <a href="#/notices" aria-current={route[0] === 'notices' ? 'page' : undefined}>
            {t('nav.notices')}
            {unread > 0 && <span className="count" aria-label={t('notices.unread', { count: unread })}>{unread}</span>}
          </a>
        </nav>
      )}
      <main id="main" tabIndex={-1}><PageBoundary key={route.join('/')}>{page()}</PageBoundary></main>
    </>
  );
}
