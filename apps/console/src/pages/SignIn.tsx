import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session';
import { Problem } from '../ui';

export function SignIn() {
  const { config } = useSession();
  return config?.kind === 'oidc' ? <ProviderSignIn /> : <LocalSignIn />;
}

/** The instance's OpenID Connect provider: off to its page, back signed in (Authorization Code + PKCE). */
function ProviderSignIn() {
  const { t } = useTranslation();
  const { config, signInWithProvider, signInError } = useSession();
  const [error, setError] = useState<unknown>(null);
  return (
    <section className="card narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      <p>{config?.clientId ? t('signIn.providerIntro') : t('signIn.noClient')}</p>
      <button type="button" className="primary" disabled={!config?.clientId} onClick={() => signInWithProvider().catch(setError)}>{t('signIn.withProvider')}</button>
      <Problem error={error ?? signInError} />
    </section>
  );
}

/** Development: pick a user of the organisation file; the local issuer signs their token. */
function LocalSignIn() {
  const { t } = useTranslation();
  const { directory, signIn, signInError } = useSession();
  const [userId, setUserId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn(userId).catch(setError);
  };
  return (
    <section className="card narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      <p>{t('signIn.intro', { instance: directory?.instance.name ?? '…' })}</p>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="sign-in-user">{t('signIn.user')}</label>
          <select id="sign-in-user" value={userId} onChange={(e) => setUserId(e.target.value)} required>
            <option value="">{t('signIn.choose')}</option>
            {directory?.users.map((u) => (
              <option key={u.id} value={u.id}>{`${u.name} · ${u.title} · ${u.unit.name} (${u.roles.map((r) => t(`roles.${r}`)).join(', ')})`}</option>
            ))}
          </select>
        </div>
        <button type="submit" className="primary" disabled={!userId}>{t('signIn.submit')}</button>
      </form>
      <Problem error={error ?? signInError} />
      <Guide />
    </section>
  );
}

/** The walk from draft to recognition, step by step, each with its role: whom to sign in as next (a user with several roles picks one in the header). */
function Guide() {
  const { t } = useTranslation();
  return (
    <details className="guide" open>
      <summary>{t('signIn.guide')}</summary>
      <ol className="guide">
        {GUIDE.map((step) => <li key={step}>{t(`signIn.steps.${step}`)}</li>)}
      </ol>
      <p className="muted">{t('signIn.guideHint')}</p>
    </details>
  );
}
const GUIDE = ['draft', 'review', 'pilot', 'complete', 'evaluate', 'recognise', 'spread'] as const;
