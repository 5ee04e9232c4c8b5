import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session';
import { Problem } from '../ui';

export function SignIn() {
  const { t } = useTranslation();
  const { directory, signIn } = useSession();
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
              <option key={u.id} value={u.id}>{`${u.name} · ${u.title} · ${u.unit.name}`}</option>
            ))}
          </select>
        </div>
        <button type="submit" className="primary" disabled={!userId}>{t('signIn.submit')}</button>
      </form>
      <Problem error={error} />
    </section>
  );
}
