import { useTranslation } from 'react-i18next';
import type { Notice } from '../api/views';
import { useFormat } from '../format';

export function Notices({ notices }: { notices: readonly Notice[] | null }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <section aria-labelledby="notices-title">
      <h1 id="notices-title">{t('notices.title')}</h1>
      {notices === null ? <p>{t('common.loading')}</p> : notices.length === 0 ? <p>{t('notices.empty')}</p> : (
        <ul className="notices">
          {[...notices].sort((a, b) => b.at.localeCompare(a.at)).map((n) => (
            <li key={n.id}>
              <time dateTime={n.at}>{format.dateTime(n.at)}</time>
              <p>{n.summary}</p>
              <a href={`#/proposals/${n.proposalId}`}>{t('notices.open')}</a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
