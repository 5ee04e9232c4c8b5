import { useTranslation } from 'react-i18next';
import type { StoredEvent } from './api/views';
import { useFormat } from './format';
import { useSession } from './session';
import { WideTable } from './ui';

/** A stream's hash-chained history: each event named through the catalogue, its actor and time. */
export function History({ events }: { events: readonly StoredEvent[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const session = useSession();
  return (
    <>
      <h2>{t('detail.history')}</h2>
      <WideTable label={t('detail.history')} className="history">
          <thead><tr><th scope="col">{t('detail.position')}</th><th scope="col">{t('detail.event')}</th><th scope="col">{t('detail.actor')}</th><th scope="col">{t('detail.at')}</th></tr></thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.eventId}>
                <td>{format.number(e.streamPosition)}</td>
                <td title={e.type}>{t(`events.${e.type}`, { defaultValue: e.type })}</td>
                <td>{e.actor ? `${session.nameOf(e.actor.userId)} (${t(`roles.${e.actor.role}`)})` : t('common.none')}</td>
                <td>{format.dateTime(e.occurredAt)}</td>
              </tr>
            ))}
          </tbody>
      </WideTable>
    </>
  );
}
